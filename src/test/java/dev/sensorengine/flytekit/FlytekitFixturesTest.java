package dev.sensorengine.flytekit;

import static dev.sensorengine.flytekit.FlytekitFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.engine.ResourceMetaCodec;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.core.Literals.LiteralMap;
import dev.sensorengine.flyteidl.core.Tasks.TaskTemplate;
import dev.sensorengine.flytekit.ConnectorClient.Answer;
import dev.sensorengine.flytekit.FlytekitFixtures.Fixture;
import dev.sensorengine.literals.LiteralConverter;
import dev.sensorengine.literals.PlainValues;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every request flytekit writes for a sensor task, sent byte for byte through the real service over gRPC on the
 * real Temporal dev server: each is decoded as flytekit meant it, accepted, and behaves as specified. The fixtures
 * are written in the build by flytekit itself (see {@link FlytekitFixtures}).
 *
 * <p>Custom {@code BaseSensor} classes (module {@code example_sensors}) have no Java sensor: today they are accepted
 * with everything they carry and fail with a message naming the sensor; issue 13 runs them on a Python worker.
 */
class FlytekitFixturesTest {

    /** The service's own default timeout, distinct from every timeout a fixture sets. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofHours(5);

    private static final Set<String> FILE_SENSORS =
            Set.of("file_sensor", "file_sensor_timeout", "file_sensor_timeout_int", "file_sensor_poke_config");

    private static FlytekitFixtures fixtures;
    private static Path ready;
    private static SensorEngineService service;
    private static ConnectorClient ours;
    private static final ResourceMetaCodec CODEC = new ResourceMetaCodec("default", RequestLimits.DEFAULTS);

    @BeforeAll
    static void start() throws IOException {
        fixtures = FlytekitFixtures.load();
        Files.createDirectories(fixtures.localRoot());
        ready = fixtures.localRoot().resolve("_SUCCESS");
        Files.deleteIfExists(ready);
        service = SensorEngineService.start(ServiceConfig.inProcess("flytekit-fixtures")
                .temporalTarget(RealTemporal.shared())
                .pokeIntervals(Duration.ofMillis(300), Duration.ofSeconds(2))
                // The scenarios delete the file that the one before found: no poke may reuse that sighting.
                .sharedPokeWindow(Duration.ZERO)
                .defaultTimeout(DEFAULT_TIMEOUT)
                .fileRoots(List.of(fixtures.localRoot()))
                .build());
        ours = new ConnectorClient("127.0.0.1", service.grpcPort());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (ours != null) {
            ours.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theFixturesAreFlytekitsOwnAndCoverWhatIssue12Asks() {
        assertThat(fixtures.versions().path("flytekit").asText()).isEqualTo(FlytekitFixtures.pinnedFlytekit());
        assertThat(fixtures.cases())
                .contains(
                        "file_sensor",
                        "file_sensor_timeout",
                        "custom_sensor_config",
                        "no_inputs",
                        "input_str",
                        "input_int",
                        "input_float",
                        "input_bool",
                        "input_datetime",
                        "input_timedelta",
                        "input_flytefile",
                        "input_flytedirectory",
                        "input_list",
                        "input_dict",
                        "input_dataclass");
        assertThat(fixtures.fixture("file_sensor").flytekitResourceMeta()).isPresent();
    }

    @Test
    void everyFixtureDecodesAsFlytekitMeantIt() throws Exception {
        for (String name : fixtures.cases()) {
            Fixture fixture = fixtures.fixture(name);
            JsonNode manifest = fixture.manifest();
            CreateTaskRequest request = CreateTaskRequest.parseFrom(fixture.createRequest());
            TaskTemplate template = TaskTemplate.parseFrom(fixture.template());
            LiteralMap inputs = LiteralMap.parseFrom(fixture.inputs());

            // Our copy of flyteidl knows every field flytekit wrote.
            assertThat(unknownFields(request)).as(name).isEmpty();
            assertThat(request.getTemplate()).as(name).isEqualTo(template);
            assertThat(request.getInputs()).as(name).isEqualTo(inputs);
            assertThat(template.getType()).as(name).isEqualTo("sensor");
            assertThat(template.getTaskTypeVersion()).as(name).isZero();
            assertThat(json(Structs.toMap(template.getCustom()))).as(name).isEqualTo(manifest.path("custom"));
            assertThat(template.getInterface().getInputs().getVariablesMap().keySet())
                    .as(name)
                    .containsExactlyInAnyOrderElementsOf(names(manifest.path("interface_inputs")));
            assertThat(json(PlainValues.of(LiteralConverter.toValues(inputs))))
                    .as(name)
                    .isEqualTo(manifest.path("inputs"));
        }
    }

    @Test
    void fileSensorsWaitForTheirFileUntilTheDeadlineTheTemplateSets() throws IOException {
        Files.deleteIfExists(ready);
        Map<String, ByteString> metas = new LinkedHashMap<>();
        for (String name : FILE_SENSORS) {
            Fixture fixture = fixtures.fixture(name);
            Answer created = ours.create(fixture.createRequest());
            assertThat(created.code()).as(name + ": " + created).isEqualTo(Status.Code.OK);
            metas.put(name, created.resourceMeta());

            SensorSpec spec = CODEC.decode(created.resourceMeta().toByteArray()).spec();
            assertThat(spec.qualifiedName()).isEqualTo("flytekit.sensor.file_sensor.FileSensor");
            assertThat(spec.inputs()).isEqualTo(Map.of("path", ready.toString()));
            JsonNode timeout = fixture.manifest().path("timeout_seconds");
            Duration expected = timeout.isNull() ? DEFAULT_TIMEOUT : Duration.ofMillis(timeout.asLong() * 1000);
            assertThat(spec.policy().timeout()).as(name).isEqualTo(expected);
            assertThat(spec.deadline()).as(name).isEqualTo(spec.createdAt().plus(expected));
        }
        assertThat(CODEC.decode(metas.get("file_sensor_timeout").toByteArray())
                        .spec()
                        .policy()
                        .timeout())
                .isEqualTo(Duration.ofHours(1));
        assertThat(CODEC.decode(metas.get("file_sensor_poke_config").toByteArray())
                        .spec()
                        .policy())
                .isEqualTo(new PokePolicy(
                        Duration.ofSeconds(2), Backoff.EXPONENTIAL, Duration.ofMinutes(1), DEFAULT_TIMEOUT));

        metas.forEach((name, meta) -> {
            Answer waiting = awaitGet(meta, a -> a.message().contains("does not exist"));
            assertThat(waiting.phase()).as(name).isEqualTo("RUNNING");
            assertThat(waiting.message()).as(name).contains(ready.toString()).contains("times out in");
            assertThat(waiting.customInfo().get("deadline"))
                    .as(name)
                    .isEqualTo(
                            CODEC.decode(meta.toByteArray()).spec().deadline().toString());
        });

        Files.writeString(ready, "ok\n");

        metas.forEach((name, meta) -> {
            Answer done = awaitGet(meta, a -> !"RUNNING".equals(a.phase()));
            assertThat(done.phase()).as(name + ": " + done).isEqualTo("SUCCEEDED");
            assertThat(done.message()).as(name).contains("found " + ready).contains("3 bytes");
        });
        // Propeller may send CreateTask again for the same attempt: the same sensor, the same bytes.
        assertThat(ours.create(fixtures.fixture("file_sensor").createRequest()).resourceMeta())
                .isEqualTo(metas.get("file_sensor"));
    }

    @Test
    void anS3FileSensorIsAcceptedWithItsTarget() {
        Answer created = ours.create(fixtures.fixture("file_sensor_s3").createRequest());

        assertThat(created.code()).as(created.toString()).isEqualTo(Status.Code.OK);
        // Its pokes would reach for the AWS default chain; FileSensorS3Test covers S3 itself.
        assertThat(ours.delete(created.resourceMeta()).code()).isEqualTo(Status.Code.OK);
        assertThat(CODEC.decode(created.resourceMeta().toByteArray()).spec().inputs())
                .isEqualTo(Map.of("path", "s3://sensor-fixtures/incoming/_SUCCESS"));
    }

    @Test
    void aSensorConfigThatIsNoScheduleIsRefusedNamingTheKey() {
        Answer created = ours.create(fixtures.fixture("file_sensor_bad_config").createRequest());

        assertThat(created.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(created.message()).startsWith("sensor_config.poke_interval: 'banana' is not a duration");
    }

    /**
     * Custom sensors, inputs of every type and a sensor with no inputs: accepted with their config and inputs as
     * flytekit wrote them (a dataclass or an untyped dict as its object, a FlyteFile as its URI), then failed with
     * a message naming the sensor, since no Java sensor claims it (issue 13 runs it on a Python worker).
     */
    @Test
    void customPythonSensorsAreAcceptedWithTheirInputsAndFailNamingTheSensor() {
        List<String> custom = fixtures.cases().stream()
                .filter(name -> fixtures.fixture(name).sensorModule().equals("example_sensors"))
                .toList();
        assertThat(custom)
                .contains("custom_sensor_config", "failing_sensor", "no_inputs", "input_dataclass", "all_types");

        Map<String, ByteString> metas = new LinkedHashMap<>();
        for (String name : custom) {
            Fixture fixture = fixtures.fixture(name);
            Answer created = ours.create(fixture.createRequest());
            assertThat(created.code()).as(name + ": " + created).isEqualTo(Status.Code.OK);
            metas.put(name, created.resourceMeta());

            SensorSpec spec = CODEC.decode(created.resourceMeta().toByteArray()).spec();
            assertThat(spec.qualifiedName()).as(name).isEqualTo(fixture.qualifiedName());
            assertThat(json(spec.config()))
                    .as(name)
                    .isEqualTo(
                            fixture.manifest().path("sensor_config").isNull()
                                    ? json(Map.of())
                                    : fixture.manifest().path("sensor_config"));
            assertThat(json(spec.inputs()))
                    .as(name)
                    .isEqualTo(fixture.manifest().path("inputs"));
        }
        // The config flytekit's own connector drops (it builds the sensor with config=) is kept, numbers as doubles.
        assertThat(CODEC.decode(metas.get("custom_sensor_config").toByteArray())
                        .spec()
                        .config())
                .isEqualTo(Map.of("min_bytes", 3.0));
        assertThat(CODEC.decode(metas.get("no_inputs").toByteArray()).spec().inputs())
                .isEmpty();
        // A dataclass arrives as flytekit's own connector keeps it in its resource_meta: the object of its fields.
        assertThat(json(CODEC.decode(metas.get("input_dataclass").toByteArray())
                        .spec()
                        .inputs()))
                .isEqualTo(fixtures.fixture("input_dataclass")
                        .manifest()
                        .path("flytekit_create")
                        .path("resource_meta")
                        .path("inputs"));

        metas.forEach((name, meta) -> {
            Answer failed = awaitGet(meta, a -> !"RUNNING".equals(a.phase()));
            assertThat(failed.phase()).as(name + ": " + failed).isEqualTo("FAILED");
            assertThat(failed.message())
                    .as(name)
                    .contains("unknown sensor '" + fixtures.fixture(name).qualifiedName() + "'");
        });
    }

    /**
     * flytekit's own {@code resource_meta}, as its connector answered CreateTask, is adopted by GetTask: the sensor
     * carries on as a workflow of this service, one per execution (by the GetTask's {@code output_prefix}, as
     * propeller sends it), since flytekit's meta names none. Its inputs are flytekit's native values (a FlyteFile as
     * the connector's own download path, the URI lost), and it carries no timeout, so the service's default applies.
     * DeleteTask answers OK and, naming no execution, leaves such a sensor to end by itself.
     */
    @Test
    void flytekitsOwnResourceMetaIsTakenOver() throws IOException {
        Files.deleteIfExists(ready);
        Map<String, ByteString> waiting = new LinkedHashMap<>();
        Map<String, String> workflowIds = new LinkedHashMap<>();
        List<String> adopted = new ArrayList<>();
        for (String name : fixtures.cases()) {
            Fixture fixture = fixtures.fixture(name);
            if (fixture.flytekitResourceMeta().isEmpty() || name.equals("file_sensor_s3")) {
                continue; // no meta (flytekit's CreateTask failed), or pokes that would reach for AWS
            }
            ByteString meta = ByteString.copyFrom(fixture.flytekitResourceMeta().get());
            String prefix = outputPrefix(fixture);
            adopted.add(name);
            Answer first = ours.get(meta, prefix);
            if (name.equals("file_sensor_bad_config")) {
                assertThat(first.code()).as(first.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(first.message()).contains("sensor_config.poke_interval");
                continue;
            }
            assertThat(first.code()).as(name + ": " + first).isEqualTo(Status.Code.OK);
            workflowIds.put(name, first.customInfo().get("workflow_id").toString());
            if (FILE_SENSORS.contains(name)) {
                Answer running = awaitGet(meta, prefix, a -> a.message().contains("does not exist"));
                assertThat(running.phase()).isEqualTo("RUNNING");
                waiting.put(name, meta);
            } else {
                Answer failed = awaitGet(meta, prefix, a -> !"RUNNING".equals(a.phase()));
                assertThat(failed.phase()).as(name + ": " + failed).isEqualTo("FAILED");
                assertThat(failed.message()).contains("unknown sensor '" + fixture.qualifiedName() + "'");
            }
            assertThat(ours.delete(meta).code()).isEqualTo(Status.Code.OK);
        }
        assertThat(adopted).contains("file_sensor", "custom_sensor_config", "input_flytefile", "input_dataclass");
        assertThat(adopted).doesNotContain("input_datetime", "input_timedelta"); // flytekit's CreateTask failed
        assertThat(workflowIds.values()).allMatch(id -> id.startsWith("flyte-sensor:flytekit:"));
        // flytekit writes the same bytes for tasks that differ only in their timeout: apart by their executions.
        assertThat(fixtures.fixture("file_sensor").flytekitResourceMeta().get())
                .isEqualTo(fixtures.fixture("file_sensor_timeout")
                        .flytekitResourceMeta()
                        .get());
        assertThat(workflowIds.get("file_sensor")).isNotEqualTo(workflowIds.get("file_sensor_timeout"));

        Files.writeString(ready, "ok\n");

        waiting.forEach((name, meta) -> {
            Answer done = awaitGet(meta, outputPrefix(fixtures.fixture(name)), a -> !"RUNNING".equals(a.phase()));
            assertThat(done.phase()).as(name + ": " + done).isEqualTo("SUCCEEDED");
        });
    }

    private static String outputPrefix(Fixture fixture) {
        try {
            return CreateTaskRequest.parseFrom(fixture.createRequest()).getOutputPrefix();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer awaitGet(ByteString meta, Predicate<Answer> condition) {
        return awaitGet(meta, "", condition);
    }

    private static Answer awaitGet(ByteString meta, String outputPrefix, Predicate<Answer> condition) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ours.get(meta, outputPrefix), answer -> answer.ok() && condition.test(answer));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Field numbers this side does not know, anywhere in the message, as {@code Type.number}. */
    private static List<String> unknownFields(Message message) {
        List<String> unknown = new ArrayList<>();
        message.getUnknownFields()
                .asMap()
                .keySet()
                .forEach(number -> unknown.add(message.getDescriptorForType().getFullName() + "." + number));
        message.getAllFields().forEach((field, value) -> {
            if (value instanceof Message child) {
                unknown.addAll(unknownFields(child));
            } else if (value instanceof List<?> list) {
                list.stream()
                        .filter(Message.class::isInstance)
                        .forEach(child -> unknown.addAll(unknownFields((Message) child)));
            }
        });
        return unknown;
    }
}
