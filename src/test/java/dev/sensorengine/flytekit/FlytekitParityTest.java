package dev.sensorengine.flytekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.engine.ResourceMetaCodec;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Agent;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.Primitive;
import dev.sensorengine.flyteidl.core.Literals.Scalar;
import dev.sensorengine.flytekit.ConnectorClient.Answer;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.RealTemporal;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity with flytekit's own connector: the same requests (written by flytekit, see {@link FlytekitFixtures}) go to
 * {@code pyflyte serve connector} in its own process and to Sensor Engine on the real Temporal dev server, both over
 * gRPC, and each side's code, phase and message are recorded ({@code target/flytekit-parity.json}). Where the two
 * must agree, the test asserts that they do; where they differ on purpose, it asserts each side's answer, so that a
 * change on either side shows here and in {@code docs/flytekit-parity.md}, which explains every difference.
 *
 * <p>flytekit pokes once per GetTask, inline; Sensor Engine pokes in its worker and GetTask reads the state. So
 * where flytekit's first GetTask is compared, ours is read once its first poke is in ({@link #settled}).
 *
 * <p>Each scenario is its own Flyte execution: the requests carry the execution name {@code parity-<scenario>} (set
 * in the fixture's task execution metadata, which flytekit's connector ignores), because Sensor Engine keeps one
 * sensor per task execution attempt, as propeller expects of it.
 */
class FlytekitParityTest {

    @TempDir
    static Path work;

    private static FlytekitFixtures fixtures;
    private static Path ready;
    private static FlytekitConnector connector;
    private static SensorEngineService service;
    private static ConnectorClient flytekit;
    private static ConnectorClient ours;
    private static final ResourceMetaCodec CODEC = new ResourceMetaCodec("default", RequestLimits.DEFAULTS);
    /** Every call of every scenario, for target/flytekit-parity.json. */
    private static final Map<String, List<Map<String, String>>> REPORT = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        fixtures = FlytekitFixtures.load();
        Files.createDirectories(fixtures.localRoot());
        ready = fixtures.localRoot().resolve("_SUCCESS");
        connector = FlytekitConnector.start(work); // Python imports flytekit while our service starts
        service = SensorEngineService.start(ServiceConfig.inProcess("flytekit-parity")
                .temporalTarget(RealTemporal.shared())
                .pokeIntervals(Duration.ofMillis(300), Duration.ofSeconds(2))
                // The scenarios delete the file that the one before found: no poke may reuse that sighting.
                .sharedPokeWindow(Duration.ZERO)
                .fileRoots(List.of(fixtures.localRoot()))
                // The http:// case pokes a closed port on loopback, which sensors may not reach by default.
                .allowNetworks(List.of("127.0.0.1/32"))
                .build());
        ours = new ConnectorClient("127.0.0.1", service.grpcPort());
        flytekit = connector.awaitReady().client();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (!REPORT.isEmpty()) {
                Path out = FlytekitFixtures.BASEDIR.resolve("target/flytekit-parity.json");
                Files.createDirectories(out.getParent());
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), REPORT);
            }
        } finally {
            if (flytekit != null) {
                flytekit.close();
            }
            if (ours != null) {
                ours.close();
            }
            if (connector != null) {
                connector.close();
            }
            if (service != null) {
                service.close();
            }
        }
    }

    // --- the same on both sides -------------------------------------------------------------------------------

    @Test
    void bothAdvertiseTheSensorCategoryAndServeHealth() {
        Agent theirs = sensorAgent(flytekit.agents());
        Agent mine = sensorAgent(ours.agents());
        record("discovery", "ListAgents", describe(theirs), describe(mine));

        for (Agent agent : List.of(theirs, mine)) {
            assertThat(agent.getIsSync()).isFalse();
            assertThat(agent.getSupportedTaskTypesList()).contains("sensor");
        }
        assertThat(flytekit.health("")).isEqualTo("SERVING");
        assertThat(ours.health("")).isEqualTo("SERVING");
        assertThat(flytekit.health("flyteidl.service.AsyncAgentService")).isEqualTo("SERVING");
        assertThat(ours.health("flyteidl.service.AsyncAgentService")).isEqualTo("SERVING");

        // Different names: flytekit's agent is "Sensor", ours "Sensor Engine"; propeller routes by category.
        Answer[] named = record("discovery", flytekit.getAgent("Sensor"), ours.getAgent("Sensor"));
        assertThat(named[0].outcome()).isEqualTo("OK");
        assertThat(named[1].outcome()).isEqualTo("NOT_FOUND");
        Answer[] unknown = record("discovery", flytekit.getAgent("NoSuchAgent"), ours.getAgent("NoSuchAgent"));
        assertThat(unknown[0].outcome()).isEqualTo("UNKNOWN");
        assertThat(unknown[1].outcome()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aFileThatIsThereSucceeds() throws IOException {
        Files.writeString(ready, "ok\n");
        byte[] request = request("file_sensor", "file-present", r -> {});

        Answer[] created = record("file_present", flytekit.create(request), ours.create(request));
        Answer[] got = record("file_present", flytekit.get(created[0].resourceMeta()), settled(created[1]));

        assertSame(created);
        assertSame(got);
        assertThat(got[0].outcome()).isEqualTo("OK SUCCEEDED");
    }

    @Test
    void aFileSensorWithScheduleKeysInItsConfigSucceeds() throws IOException {
        Files.writeString(ready, "ok\n");
        byte[] request = request("file_sensor_poke_config", "poke-config", r -> {});

        Answer[] created = record("poke_config", flytekit.create(request), ours.create(request));
        Answer[] got = record("poke_config", flytekit.get(created[0].resourceMeta()), settled(created[1]));

        assertSame(created);
        assertSame(got);
        // flytekit ignores the keys; ours pokes every 2 s, doubling up to 1 min.
        assertThat(got[0].outcome()).isEqualTo("OK SUCCEEDED");
    }

    @Test
    void aFileThatAppearsLaterIsWaitedForThenFound() throws IOException {
        Files.deleteIfExists(ready);
        byte[] request = request("file_sensor", "file-appearing", r -> {});

        Answer[] created = record("file_absent_then_appearing", flytekit.create(request), ours.create(request));
        Answer[] waiting =
                record("file_absent_then_appearing", flytekit.get(created[0].resourceMeta()), settled(created[1]));
        Files.writeString(ready, "ok\n");
        Answer[] found = record(
                "file_absent_then_appearing",
                flytekit.get(created[0].resourceMeta()),
                finished(created[1].resourceMeta()));

        assertSame(created);
        assertSame(waiting);
        assertThat(waiting[0].outcome()).isEqualTo("OK RUNNING");
        assertThat(waiting[1].message()).contains(ready + " does not exist");
        assertSame(found);
        assertThat(found[0].outcome()).isEqualTo("OK SUCCEEDED");
    }

    @Test
    void aSensorStartedByFlytekitIsTakenOverWithItsOwnResourceMeta() throws IOException {
        Files.deleteIfExists(ready);
        byte[] request = request("file_sensor", "takeover", r -> {});
        String prefix = outputPrefix(request);
        ByteString meta = flytekit.create(request).resourceMeta();

        Answer[] waiting =
                record("takeover", flytekit.get(meta, prefix), settled(ours.get(meta, prefix), meta, prefix));
        // DeleteTask names no execution: flytekit has nothing to stop, and ours leaves the sensors it adopted per
        // execution to end by themselves, since cancelling by these bytes could abort another execution's sensor.
        Answer[] deleted = record("takeover", flytekit.delete(meta), ours.delete(meta));
        Answer[] afterDelete = record("takeover", flytekit.get(meta, prefix), ours.get(meta, prefix));
        Files.writeString(ready, "ok\n");
        Answer[] found = record("takeover", flytekit.get(meta, prefix), finished(meta, prefix));

        assertSame(waiting);
        assertThat(waiting[0].outcome()).isEqualTo("OK RUNNING");
        // The very bytes of the fixture's resource_meta.bin, which FlytekitFixturesTest adopts for another execution.
        assertThat(meta.toByteArray())
                .isEqualTo(
                        fixtures.fixture("file_sensor").flytekitResourceMeta().orElseThrow());
        assertThat(waiting[1].customInfo().get("workflow_id").toString()).startsWith("flyte-sensor:flytekit:");
        assertSame(deleted);
        assertSame(afterDelete);
        assertThat(afterDelete[0].outcome()).isEqualTo("OK RUNNING");
        assertSame(found);
        assertThat(found[0].outcome()).isEqualTo("OK SUCCEEDED");
    }

    @Test
    void routingByCategoryOrTaskTypeAndAnUnknownTaskType() throws IOException {
        Files.writeString(ready, "ok\n");
        byte[] request = request("file_sensor", "routing", r -> {});
        Answer[] created = record("routing", flytekit.create(request), ours.create(request));
        settled(created[1]);

        Answer[] categoryOnly = record(
                "routing",
                flytekit.get(created[0].resourceMeta(), true, false),
                ours.get(created[1].resourceMeta(), true, false));
        Answer[] typeOnly = record(
                "routing",
                flytekit.get(created[0].resourceMeta(), false, true),
                ours.get(created[1].resourceMeta(), false, true));
        byte[] unknownType = request(
                "file_sensor", "routing-type", r -> r.getTemplateBuilder().setType("no_such_type"));
        Answer[] unknown = record("routing", flytekit.create(unknownType), ours.create(unknownType));

        assertSame(categoryOnly);
        assertSame(typeOnly);
        assertThat(categoryOnly[0].outcome()).isEqualTo("OK SUCCEEDED");
        assertSame(unknown);
        assertThat(unknown[0].outcome()).isEqualTo("NOT_FOUND");

        // Neither set: flytekit looks up the empty task type (NOT_FOUND); ours says what is missing.
        Answer[] neither = record(
                "routing",
                flytekit.get(created[0].resourceMeta(), false, false),
                ours.get(created[1].resourceMeta(), false, false));
        assertThat(neither[0].outcome()).isEqualTo("NOT_FOUND");
        assertThat(neither[1].outcome()).isEqualTo("INVALID_ARGUMENT");
        assertThat(neither[1].message()).contains("names no task category");
    }

    @Test
    void anHttpTargetThatRefusesConnectionsKeepsTheSensorWaiting() throws IOException {
        String url = "http://127.0.0.1:" + closedPort() + "/_SUCCESS";
        byte[] request =
                request("file_sensor", "http-refused", r -> r.getInputsBuilder().putLiterals("path", text(url)));

        Answer[] created = record("http_refused", flytekit.create(request), ours.create(request));
        Answer[] got = record("http_refused", flytekit.get(created[0].resourceMeta()), settled(created[1]));

        assertSame(created);
        assertSame(got);
        assertThat(got[0].outcome()).isEqualTo("OK RUNNING");
        // flytekit's fsspec takes a refused connection for "not there"; ours says it is a poke error, retried.
        assertThat(got[1].message()).contains("poke error");
        ours.delete(created[1].resourceMeta());
    }

    // --- different on purpose: each side's answer is asserted ---------------------------------------------------

    @Test
    void aPokeThatRaises() {
        byte[] request = request("failing_sensor", "poke-raises", r -> {});

        Answer[] created = record("poke_raises", flytekit.create(request), ours.create(request));
        Answer[] got = record("poke_raises", flytekit.get(created[0].resourceMeta()), settled(created[1]));

        assertSame(created);
        // flytekit: the exception becomes the call's status (each one costs the task one of its 5 sync failures).
        assertThat(got[0].outcome()).isEqualTo("INTERNAL");
        assertThat(got[0].message()).contains("RuntimeError: simulated poke failure");
        // Ours: no Java sensor claims the class yet (issue 13 pokes it on a Python worker, retrying poke errors).
        assertUnknownSensor(got[1], "example_sensors.FailingSensor");
    }

    @Test
    void aSensorConfigThatIsNoSchedule() throws IOException {
        Files.writeString(ready, "ok\n");
        byte[] request = request("file_sensor_bad_config", "bad-config", r -> {});

        Answer[] created = record("bad_sensor_config", flytekit.create(request), ours.create(request));
        Answer theirs = flytekit.get(created[0].resourceMeta());
        record("bad_sensor_config", "GetTask", theirs.outcome(), "- (CreateTask refused it)");

        assertThat(theirs.outcome()).isEqualTo("OK SUCCEEDED"); // flytekit never reads sensor_config's schedule
        assertThat(created[1].outcome()).isEqualTo("INVALID_ARGUMENT");
        assertThat(created[1].message()).startsWith("sensor_config.poke_interval: 'banana' is not a duration");
    }

    @Test
    void aCustomSensorThatNeedsItsConfig() throws IOException {
        Files.writeString(ready, "ok\n");
        byte[] request = request("custom_sensor_config", "custom-config", r -> {});

        Answer[] created = record("custom_sensor_config", flytekit.create(request), ours.create(request));
        Answer[] got = record("custom_sensor_config", flytekit.get(created[0].resourceMeta()), settled(created[1]));

        assertSame(created);
        // flytekit builds the sensor with config=, which BaseSensor's **kwargs swallow: the config never arrives.
        assertThat(got[0].outcome()).isEqualTo("INTERNAL");
        assertThat(got[0].message()).contains("FileSizeSensor was built without its sensor_config");
        // Ours keeps it for the sensor (numbers as doubles, as a Struct carries them).
        assertThat(CODEC.decode(created[1].resourceMeta().toByteArray()).spec().config())
                .isEqualTo(Map.of("min_bytes", 3.0));
        assertUnknownSensor(got[1], "example_sensors.FileSizeSensor");

        byte[] withoutConfig = request("custom_sensor_no_config", "custom-no-config", r -> {});
        Answer[] createdWithout =
                record("custom_sensor_no_config", flytekit.create(withoutConfig), ours.create(withoutConfig));
        Answer[] gotWithout = record(
                "custom_sensor_no_config", flytekit.get(createdWithout[0].resourceMeta()), settled(createdWithout[1]));
        assertSame(createdWithout);
        assertThat(gotWithout[0].outcome()).isEqualTo("INTERNAL");
        assertUnknownSensor(gotWithout[1], "example_sensors.FileSizeSensor");
    }

    @Test
    void aTemplateWithoutCustom() {
        byte[] request =
                request("file_sensor", "no-custom", r -> r.getTemplateBuilder().clearCustom());

        Answer[] created = record("custom_absent", flytekit.create(request), ours.create(request));

        assertThat(created[0].outcome()).isEqualTo("INTERNAL");
        assertThat(created[0].message()).contains("SensorMetadata.__init__() missing");
        assertThat(created[1].outcome()).isEqualTo("INVALID_ARGUMENT");
        assertThat(created[1].message()).contains("TaskTemplate.custom.sensor_name is missing");
    }

    @Test
    void anUnknownModuleOrClass() throws IOException {
        Files.writeString(ready, "ok\n");
        Map<String, Answer[]> answers = new LinkedHashMap<>();
        Map<String, String[]> names = Map.of(
                "module", new String[] {"no_such_module", "FileSensor"},
                "module-and-class", new String[] {"no_such_module", "NoSuchSensor"},
                "class", new String[] {"flytekit.sensor.file_sensor", "NoSuchSensor"});
        for (String variant : List.of("module", "module-and-class", "class")) {
            String[] name = names.get(variant);
            byte[] request = request(
                    "file_sensor",
                    "unknown-" + variant,
                    r -> r.getTemplateBuilder()
                            .getCustomBuilder()
                            .putFields(
                                    "sensor_module",
                                    Value.newBuilder().setStringValue(name[0]).build())
                            .putFields(
                                    "sensor_name",
                                    Value.newBuilder().setStringValue(name[1]).build()));
            Answer[] created = record("unknown_" + variant, flytekit.create(request), ours.create(request));
            assertSame(created);
            answers.put(
                    variant,
                    record("unknown_" + variant, flytekit.get(created[0].resourceMeta()), settled(created[1])));
        }

        assertThat(answers.get("module")[0].outcome()).isEqualTo("INTERNAL");
        assertThat(answers.get("module")[0].message()).contains("No module named 'no_such_module'");
        // Ours finds a sensor by its class name when module.Name is unknown: FileSensor is the Java FileSensor.
        assertThat(answers.get("module")[1].outcome()).isEqualTo("OK SUCCEEDED");
        assertThat(answers.get("module-and-class")[0].outcome()).isEqualTo("INTERNAL");
        assertUnknownSensor(answers.get("module-and-class")[1], "no_such_module.NoSuchSensor");
        assertThat(answers.get("class")[0].outcome()).isEqualTo("INTERNAL");
        assertThat(answers.get("class")[0].message()).contains("has no attribute 'NoSuchSensor'");
        assertUnknownSensor(answers.get("class")[1], "flytekit.sensor.file_sensor.NoSuchSensor");
    }

    @Test
    void noInputs() {
        byte[] none = request("no_inputs", "no-inputs", r -> {});
        byte[] absent = request("no_inputs", "no-inputs-absent", CreateTaskRequest.Builder::clearInputs);
        byte[] missing = request("file_sensor", "missing-input", CreateTaskRequest.Builder::clearInputs);

        Answer[] created = record("no_inputs", flytekit.create(none), ours.create(none));
        Answer[] got = record("no_inputs", flytekit.get(created[0].resourceMeta()), settled(created[1]));
        Answer[] createdAbsent = record("no_inputs", flytekit.create(absent), ours.create(absent));
        Answer[] createdMissing = record("missing_input", flytekit.create(missing), ours.create(missing));
        Answer[] gotMissing =
                record("missing_input", flytekit.get(createdMissing[0].resourceMeta()), settled(createdMissing[1]));

        assertSame(created);
        assertSame(createdAbsent);
        assertSame(createdMissing);
        assertThat(got[0].outcome()).isEqualTo("OK SUCCEEDED");
        assertUnknownSensor(got[1], "example_sensors.NoInputSensor");
        assertThat(CODEC.decode(createdAbsent[1].resourceMeta().toByteArray())
                        .spec()
                        .inputs())
                .isEmpty();
        // A FileSensor without its path: flytekit's poke() raises; ours fails the sensor saying what is missing.
        assertThat(gotMissing[0].outcome()).isEqualTo("INTERNAL");
        assertThat(gotMissing[0].message()).contains("missing 1 required positional argument: 'path'");
        assertThat(gotMissing[1].outcome()).isEqualTo("OK FAILED");
        assertThat(gotMissing[1].message()).contains("path");
    }

    @Test
    void deleteIsIdempotentAndOnlyOursStopsTheSensor() throws IOException {
        Files.deleteIfExists(ready);
        byte[] request = request("file_sensor", "delete", r -> {});

        Answer[] created = record("delete", flytekit.create(request), ours.create(request));
        Answer[] waiting = record("delete", flytekit.get(created[0].resourceMeta()), settled(created[1]));
        Answer[] deleted =
                record("delete", flytekit.delete(created[0].resourceMeta()), ours.delete(created[1].resourceMeta()));
        Answer[] again =
                record("delete", flytekit.delete(created[0].resourceMeta()), ours.delete(created[1].resourceMeta()));
        Answer[] after = record("delete", flytekit.get(created[0].resourceMeta()), finished(created[1].resourceMeta()));

        assertSame(waiting);
        assertSame(deleted);
        assertSame(again);
        assertThat(again[0].outcome()).isEqualTo("OK");
        // flytekit keeps nothing, so there is nothing to stop: the next GetTask pokes again.
        assertThat(after[0].outcome()).isEqualTo("OK RUNNING");
        assertThat(after[1].outcome()).isEqualTo("OK ABORTED");
    }

    @Test
    void garbageResourceMetaIsRefusedAndNeverInternalOnOurSide() {
        Map<String, ByteString> metas = new LinkedHashMap<>();
        metas.put("garbage", ByteString.copyFromUtf8("garbage"));
        metas.put("empty", ByteString.EMPTY);
        metas.put("{}", ByteString.copyFromUtf8("{}"));
        metas.put("not UTF-8", ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xfe}));
        metas.forEach((name, meta) -> {
            Answer[] got = record("garbage_resource_meta " + name, flytekit.get(meta), ours.get(meta));
            assertThat(got[0].outcome()).as(name).isEqualTo("INTERNAL");
            assertThat(got[1].outcome()).as(name).isEqualTo("INVALID_ARGUMENT");
        });
        Answer[] deleted = record(
                "garbage_resource_meta delete",
                flytekit.delete(metas.get("garbage")),
                ours.delete(metas.get("garbage")));
        assertThat(deleted[0].outcome()).isEqualTo("INTERNAL");
        assertThat(deleted[1].outcome()).isEqualTo("INVALID_ARGUMENT");

        // flytekit's shape without inputs: flytekit's poke() gets None for its arguments; ours adopts the sensor,
        // which then fails saying what it lacks.
        ByteString noInputs = ByteString.copyFromUtf8(
                "{\"sensor_module\": \"flytekit.sensor.file_sensor\", \"sensor_name\": \"FileSensor\"}");
        Answer[] got = record(
                "garbage_resource_meta no inputs", flytekit.get(noInputs), settled(ours.get(noInputs), noInputs, ""));
        assertThat(got[0].outcome()).isEqualTo("INTERNAL");
        assertThat(got[1].outcome()).isEqualTo("OK FAILED");
        ours.delete(noInputs);
    }

    @Test
    void logsAndMetricsAreOursAlone() throws IOException {
        Files.writeString(ready, "ok\n");
        byte[] request = request("file_sensor", "logs", r -> {});
        Answer[] created = record("logs_and_metrics", flytekit.create(request), ours.create(request));
        settled(created[1]);

        Answer[] logs = record(
                "logs_and_metrics", flytekit.logs(created[0].resourceMeta()), ours.logs(created[1].resourceMeta()));
        Answer[] metrics = record(
                "logs_and_metrics",
                flytekit.metrics(created[0].resourceMeta()),
                ours.metrics(created[1].resourceMeta()));

        assertThat(logs[0].outcome()).isEqualTo("UNKNOWN");
        assertThat(metrics[0].outcome()).isEqualTo("UNKNOWN");
        assertThat(logs[1].outcome()).isEqualTo("OK");
        assertThat(metrics[1].outcome()).isEqualTo("OK");
    }

    /**
     * Every input type: ours accepts every one (a datetime and a timedelta too, which flytekit's own CreateTask cannot
     * put into its JSON meta); running them needs the Python worker of issue 13.
     */
    @Test
    void everyInputType() {
        Map<String, String> flytekitCreate = new LinkedHashMap<>();
        Map<String, String> flytekitGet = new LinkedHashMap<>();
        for (String name : fixtures.cases()) {
            if (!name.startsWith("input_") && !name.equals("all_types")) {
                continue;
            }
            byte[] request = request(name, name.replace('_', '-'), r -> {});
            Answer[] created = record(name, flytekit.create(request), ours.create(request));
            assertThat(created[1].outcome()).as(name + ": " + created[1]).isEqualTo("OK");
            flytekitCreate.put(name, created[0].outcome());
            if (created[0].ok()) {
                Answer[] got = record(name, flytekit.get(created[0].resourceMeta()), settled(created[1]));
                flytekitGet.put(name, got[0].outcome());
                assertUnknownSensor(got[1], fixtures.fixture(name).qualifiedName());
            }
        }

        assertThat(flytekitCreate)
                .containsEntry("input_datetime", "INTERNAL")
                .containsEntry("input_timedelta", "INTERNAL")
                .containsEntry("all_types", "INTERNAL");
        assertThat(flytekitGet)
                .containsEntry("input_str", "OK SUCCEEDED")
                .containsEntry("input_int", "OK SUCCEEDED")
                .containsEntry("input_float", "OK SUCCEEDED")
                .containsEntry("input_bool", "OK SUCCEEDED")
                .containsEntry("input_list", "OK SUCCEEDED")
                .containsEntry("input_dict", "OK SUCCEEDED")
                .containsEntry("input_untyped_dict", "OK SUCCEEDED")
                // flytekit hands poke() a dict where it declared a FlyteFile, FlyteDirectory or dataclass.
                .containsEntry("input_flytefile", "INTERNAL")
                .containsEntry("input_flytedirectory", "INTERNAL")
                .containsEntry("input_dataclass", "INTERNAL");
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    /** The fixture's request as another execution ({@code parity-<execution>}), changed as the scenario needs. */
    private static byte[] request(String fixture, String execution, Consumer<CreateTaskRequest.Builder> change) {
        try {
            CreateTaskRequest.Builder request =
                    CreateTaskRequest.parseFrom(fixtures.fixture(fixture).createRequest()).toBuilder();
            request.getTaskExecutionMetadataBuilder()
                    .getTaskExecutionIdBuilder()
                    .getNodeExecutionIdBuilder()
                    .getExecutionIdBuilder()
                    .setName("parity-" + execution);
            // Propeller's output prefix names the execution too.
            request.setOutputPrefix("s3://flyte-fixtures/metadata/parity-" + execution + "/n0/0");
            change.accept(request);
            return request.build().toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String outputPrefix(byte[] request) {
        try {
            return CreateTaskRequest.parseFrom(request).getOutputPrefix();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Our GetTask once the sensor's first poke is in (or it has ended); a failed create is returned as it is. */
    private static Answer settled(Answer created) {
        return created.ok() ? settled(ours.get(created.resourceMeta()), created.resourceMeta(), "") : created;
    }

    private static Answer settled(Answer first, ByteString meta, String outputPrefix) {
        return awaitOurs(
                first,
                meta,
                outputPrefix,
                answer -> !"RUNNING".equals(answer.phase())
                        || !"0".equals(String.valueOf(answer.customInfo().get("pokes"))));
    }

    /** Our GetTask once the sensor has ended. */
    private static Answer finished(ByteString meta) {
        return finished(meta, "");
    }

    private static Answer finished(ByteString meta, String outputPrefix) {
        return awaitOurs(ours.get(meta, outputPrefix), meta, outputPrefix, answer -> !"RUNNING".equals(answer.phase()));
    }

    private static Answer awaitOurs(Answer first, ByteString meta, String outputPrefix, Predicate<Answer> done) {
        if (!first.ok() || done.test(first)) {
            return first;
        }
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ours.get(meta, outputPrefix), answer -> !answer.ok() || done.test(answer));
    }

    private static Answer[] record(String scenario, Answer theirs, Answer mine) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("call", theirs.call());
        row.put("flytekit", theirs.outcome());
        row.put("flytekit_message", theirs.message());
        row.put("sensor_engine", mine.outcome());
        row.put("sensor_engine_message", mine.message());
        synchronized (REPORT) {
            REPORT.computeIfAbsent(scenario, key -> new ArrayList<>()).add(row);
        }
        return new Answer[] {theirs, mine};
    }

    private static void record(String scenario, String call, String theirs, String mine) {
        synchronized (REPORT) {
            REPORT.computeIfAbsent(scenario, key -> new ArrayList<>())
                    .add(Map.of("call", call, "flytekit", theirs, "sensor_engine", mine));
        }
    }

    private static void assertSame(Answer[] answers) {
        assertThat(answers[1].outcome())
                .as("flytekit answered %s, Sensor Engine %s", answers[0], answers[1])
                .isEqualTo(answers[0].outcome());
    }

    private static void assertUnknownSensor(Answer answer, String qualifiedName) {
        assertThat(answer.outcome()).as(answer.toString()).isEqualTo("OK FAILED");
        assertThat(answer.message()).contains("unknown sensor '" + qualifiedName + "'");
    }

    private static String describe(Agent agent) {
        return "OK: '" + agent.getName() + "', categories "
                + agent.getSupportedTaskCategoriesList().stream()
                        .map(category -> category.getName() + " v" + category.getVersion())
                        .toList()
                + ", task types " + agent.getSupportedTaskTypesList() + ", is_sync " + agent.getIsSync();
    }

    private static Agent sensorAgent(List<Agent> agents) {
        return agents.stream()
                .filter(agent -> agent.getSupportedTaskCategoriesList().stream()
                        .anyMatch(category -> category.equals(ConnectorClient.SENSOR)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no agent serves sensor v0: " + agents));
    }

    private static Literal text(String value) {
        return Literal.newBuilder()
                .setScalar(
                        Scalar.newBuilder().setPrimitive(Primitive.newBuilder().setStringValue(value)))
                .build();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
