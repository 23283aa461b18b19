package dev.sensorengine.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.Primitive;
import dev.sensorengine.flyteidl.core.Literals.Scalar;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub;
import dev.sensorengine.flytekit.FlytekitFixtures;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.PythonWorker;
import dev.sensorengine.testing.RealTemporal;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Custom flytekit sensors under the whole service: the requests flytekit wrote for its own {@code BaseSensor}
 * subclasses ({@code compat/example_sensors.py}, serialized by {@code compat/flytekit_fixtures.py}), CreateTask and
 * GetTask over real gRPC, the real Temporal dev server, and the Python sensor worker as a real process with real
 * flytekit. The Java service claims none of these classes, so every poke goes to the Python task queue.
 *
 * <p>The worker's outages ({@code kill -9} with sensors waiting, no worker at all) are {@code it.PythonWorkerIT}.
 */
class PythonSensorsEndToEndTest {

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();
    private static final String PYTHON_QUEUE = "python-e2e-" + UUID.randomUUID();

    @TempDir
    static Path work;

    private static FlytekitFixtures fixtures;
    private static SensorEngineService service;
    private static PythonWorker worker;
    private static ManagedChannel channel;
    private static AsyncAgentServiceBlockingStub agent;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        fixtures = FlytekitFixtures.load();
        service = SensorEngineService.start(ServiceConfig.inProcess("python-e2e-java-" + UUID.randomUUID())
                .temporalTarget(RealTemporal.shared())
                .pythonTaskQueue(PYTHON_QUEUE)
                .metricsPort(0)
                .pokeIntervals(Duration.ofMillis(300), Duration.ofSeconds(2))
                .fileRoots(List.of(work))
                .build());
        worker = PythonWorker.start(RealTemporal.shared(), PYTHON_QUEUE, work.resolve("python-worker.log"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                .usePlaintext()
                .build();
        agent = AsyncAgentServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (worker != null) {
            worker.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aCustomSensorWaitsForItsFileAndSucceedsWhenItAppears() throws IOException {
        Path file = work.resolve("appears/_SUCCESS");
        ByteString meta = create(request("custom_sensor_config", path(file)));

        Resource waiting = awaitResource(meta, r -> r.getMessage().contains("poke returned False"));
        assertThat(waiting.getPhase()).isEqualTo(Phase.RUNNING);
        assertThat(waiting.getMessage()).startsWith("waiting: example_sensors.FileSizeSensor: poke returned False");
        assertThat(Structs.toMap(waiting.getCustomInfo())).containsEntry("poke_task_queue", PYTHON_QUEUE);

        Files.createDirectories(file.getParent());
        Files.writeString(file, "done");

        Resource done = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);
        assertThat(done.getPhase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(done.getMessage()).isEqualTo("succeeded: example_sensors.FileSizeSensor: poke returned True");
    }

    @Test
    void aJavaSensorStaysWithTheJavaWorker() throws IOException {
        // flytekit's FileSensor is claimed by the Java FileSensor: Python routing leaves it as it was.
        Path file = work.resolve("java/_SUCCESS");
        ByteString meta = create(request("file_sensor", path(file)));

        Resource waiting = awaitResource(meta, r -> r.getMessage().contains("does not exist"));
        assertThat(Structs.toMap(waiting.getCustomInfo())).doesNotContainKey("poke_task_queue");

        Files.createDirectories(file.getParent());
        Files.writeString(file, "done");
        Resource done = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);
        assertThat(done.getPhase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(done.getMessage()).contains("found " + file);
    }

    @Test
    void theSensorConfigReachesTheSensor() throws IOException {
        // FileSizeSensor is ready at min_bytes (3, in its sensor_config); flytekit's own connector drops the config,
        // and the sensor then raises for want of it.
        Path file = Files.createDirectories(work.resolve("config")).resolve("_SUCCESS");
        Files.writeString(file, "ab");
        ByteString meta = create(request("custom_sensor_config", path(file)));

        Resource tooSmall = awaitResource(meta, r -> r.getMessage().contains("poke returned False"));
        assertThat(tooSmall.getMessage()).doesNotContain("error");

        Files.writeString(file, "abc");
        assertThat(awaitResource(meta, r -> r.getPhase() != Phase.RUNNING).getPhase())
                .isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void aPokeThatRaisesIsRetriedAndShowsInGetTask() {
        ByteString meta = create(request("failing_sensor", path(work.resolve("never"))));

        Resource failing = awaitResource(meta, r -> r.getMessage().contains("(3 in a row)"));

        assertThat(failing.getPhase()).isEqualTo(Phase.RUNNING);
        assertThat(failing.getMessage())
                .contains("poke error (3 in a row): RuntimeError: simulated poke failure for " + work.resolve("never"));
        assertThat(worker.logText()).contains("RuntimeError: simulated poke failure");
    }

    @Test
    void aSensorWhoseModuleTheWorkerLacksFailsSayingSo() {
        // What flytekit wrote, for a module the worker's image does not have: the task can never run there.
        ByteString meta = create(request("failing_sensor", request -> {
            path(work.resolve("never")).accept(request);
            Map<String, Object> custom =
                    new LinkedHashMap<>(Structs.toMap(request.getTemplate().getCustom()));
            custom.put("sensor_module", "team_sensors_not_installed");
            request.getTemplateBuilder().setCustom(Structs.toStruct(custom));
        }));

        Resource failed = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);

        assertThat(failed.getPhase()).isEqualTo(Phase.FAILED);
        assertThat(failed.getMessage())
                .contains("module team_sensors_not_installed of sensor team_sensors_not_installed.FailingSensor is not "
                        + "installed on this Python sensor worker")
                .contains("PYTHONPATH");
    }

    @Test
    void aSensorWhoseConstructorRejectsItsArgumentsFailsWithItsMessage() {
        // NeedsBucketSensor takes a constructor argument that a task never records (flytekit keeps only the module,
        // the class and the config): no retry mends that.
        ByteString meta = create(request("custom_sensor_config", request -> {
            path(work.resolve("never")).accept(request);
            Map<String, Object> custom =
                    new LinkedHashMap<>(Structs.toMap(request.getTemplate().getCustom()));
            custom.put("sensor_name", "NeedsBucketSensor");
            request.getTemplateBuilder().setCustom(Structs.toStruct(custom));
        }));

        Resource failed = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);

        assertThat(failed.getPhase()).isEqualTo(Phase.FAILED);
        assertThat(failed.getMessage())
                .startsWith("failed: ")
                .contains("cannot build example_sensors.NeedsBucketSensor(")
                .contains("bucket");
    }

    @ParameterizedTest
    @ValueSource(strings = {"input_flytefile", "input_dataclass", "all_types"})
    void typedInputsArriveAsTheTypesPokeAnnotates(String fixture) {
        // Each sensor raises TypeError unless its inputs arrive as declared (FlyteFile, the author's dataclass, ...).
        ByteString meta = create(request(fixture, request -> {}));

        Resource done = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);

        assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(Phase.SUCCEEDED);
        assertThat(done.getMessage()).endsWith("poke returned True");
    }

    @Test
    void theLastPokeComesBeforeTheDeadlineEvenWhenTheIntervalIsLonger() throws IOException {
        // A one-minute interval and an 8 s timeout: the worker cuts the wait after the first poke to end a second
        // before the deadline (contract, "The deadline"), so a second poke comes before the sensor times out.
        Path journal = work.resolve("deadline.journal");
        long before = System.currentTimeMillis();
        ByteString meta = agent.createTask(FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                        "p",
                        "d",
                        "py-deadline-" + UUID.randomUUID().toString().substring(0, 8),
                        "n0",
                        0,
                        "example_sensors",
                        "JournalSensor",
                        Map.of("poke_interval", "1m", "max_poke_interval", "1m"),
                        Map.of("journal", journal.toString(), "id", "d", "path", "/nowhere"),
                        Optional.of(Duration.ofSeconds(8)))))
                .getResourceMeta();
        long after = System.currentTimeMillis();

        Resource timedOut = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);

        assertThat(timedOut.getPhase()).isEqualTo(Phase.FAILED);
        assertThat(timedOut.getMessage()).startsWith("failed: timed out");
        List<Long> begins = Files.readAllLines(journal).stream()
                .filter(line -> line.startsWith("begin "))
                .map(line -> Long.parseLong(line.split(" ")[3]))
                .toList();
        assertThat(begins).hasSize(2);
        // About a second before the deadline (created between before and after, plus 8 s), however late the first.
        assertThat(begins.get(1)).isBetween(before + 6_000, after + 8_000);
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    /** The request flytekit wrote for {@code fixture}, as an execution of its own, changed as the test needs. */
    private static byte[] request(String fixture, Consumer<CreateTaskRequest.Builder> change) {
        try {
            CreateTaskRequest.Builder request =
                    CreateTaskRequest.parseFrom(fixtures.fixture(fixture).createRequest()).toBuilder();
            request.getTaskExecutionMetadataBuilder()
                    .getTaskExecutionIdBuilder()
                    .getNodeExecutionIdBuilder()
                    .getExecutionIdBuilder()
                    .setName("py-" + UUID.randomUUID().toString().substring(0, 8));
            change.accept(request);
            return request.build().toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Points the task's {@code path} input (a string literal, as flytekit wrote it) at {@code file}. */
    private static Consumer<CreateTaskRequest.Builder> path(Path file) {
        return request -> request.getInputsBuilder()
                .putLiterals(
                        "path",
                        Literal.newBuilder()
                                .setScalar(Scalar.newBuilder()
                                        .setPrimitive(Primitive.newBuilder().setStringValue(file.toString())))
                                .build());
    }

    private static ByteString create(byte[] request) {
        try {
            return agent.createTask(CreateTaskRequest.parseFrom(request)).getResourceMeta();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Resource get(AsyncAgentServiceBlockingStub stub, ByteString meta) {
        return stub.getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .build())
                .getResource();
    }

    private static Resource awaitResource(ByteString meta, Predicate<Resource> condition) {
        return await().atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> get(agent, meta), condition);
    }
}
