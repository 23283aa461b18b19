package dev.sensorengine.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.engine.EventWaker;
import dev.sensorengine.engine.InvalidRequestException;
import dev.sensorengine.engine.ObjectEvent;
import dev.sensorengine.engine.WakeReport;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.testing.TestHttpServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events wake sensors, on the real Temporal dev server, through the service's own {@link EventWaker} (what the event
 * sources call) and sensors created over gRPC as propeller creates them. Every sensor here polls hourly, so only a
 * wake explains a second poke within the test.
 */
class EventWakeTest {

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();

    @TempDir
    static Path root;

    private static TestHttpServer http;
    private static SensorEngineService service;
    private static ManagedChannel channel;
    private static AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent;
    private static EventWaker waker;

    @BeforeAll
    static void startService() throws IOException {
        http = new TestHttpServer();
        service = SensorEngineService.start(ServiceConfig.inProcess("events-e2e")
                .temporalTarget(RealTemporal.shared())
                .searchAttributes(true)
                .fileRoots(List.of(root))
                .allowNetworks(List.of("127.0.0.0/8"))
                // One poke a minute for the HTTP server: its sensor's first poke takes the minute's turn.
                .rateLimits(Map.of(http.host(), 1.0 / 60))
                .build());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                .usePlaintext()
                .build();
        agent = AsyncAgentServiceGrpc.newBlockingStub(channel);
        waker = service.eventWaker().orElseThrow();
    }

    @AfterAll
    static void stopService() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        service.close();
        http.close();
    }

    @Test
    void anEventEndsAnHourlySensorAtOnce() throws IOException {
        Path file = root.resolve("in/_SUCCESS");
        ByteString meta = create(file.toString(), "exact", "wake-ready");
        awaitPokes(meta, 1);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "done");

        WakeReport report = waker.wake(event("e-ready", file.toString()));

        assertThat(report).isEqualTo(new WakeReport(1, 1, 0));
        Resource done = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);
        assertThat(done.getPhase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(Structs.toMap(done.getCustomInfo()))
                .as("the hourly poke and the wake poke")
                .containsEntry("pokes", "2")
                .containsEntry("wakes", "1");
        assertThat(logLines(meta))
                .anySatisfy(line -> assertThat(line)
                        .contains("woken 1 time by events")
                        .contains("test event e-ready about " + file)
                        .contains(": ready"));
    }

    @Test
    void aForgedEventCostsOnePokeAndChangesNothing() {
        // A quote and a backslash in the path: the visibility query must keep them inside its literal.
        Path absent = root.resolve("never/it's a \\ key/_SUCCESS");
        ByteString meta = create(absent.toString(), "exact", "wake-forged");
        awaitPokes(meta, 1);

        WakeReport report = waker.wake(event("forged", absent.toString()));

        assertThat(report.woken()).isEqualTo(1);
        Resource after = awaitPokes(meta, 2);
        assertThat(after.getPhase()).isEqualTo(Phase.RUNNING);
        assertThat(after.getMessage()).contains("does not exist").containsPattern("next in 5[0-9]m");
        assertThat(logLines(meta))
                .anySatisfy(line -> assertThat(line).contains("woken 1 time").contains("does not exist"));
        await().during(Duration.ofSeconds(2)).until(() -> pokes(meta) == 2);
        delete(meta);
    }

    @Test
    void aBurstOfEventsForOneSensorIsAtMostOneSignalASecondAndOnePoke() throws Exception {
        Path absent = root.resolve("burst/_SUCCESS");
        ByteString meta = create(absent.toString(), "exact", "wake-burst");
        awaitPokes(meta, 1);
        // All received before the first wake poke is scheduled: that poke answers all of them.
        Instant received = Instant.now().minusMillis(50);
        ExecutorService senders = Executors.newFixedThreadPool(10);
        List<Future<WakeReport>> reports = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                ObjectEvent event = new ObjectEvent("test", "burst-" + i, absent.toString(), received);
                reports.add(senders.submit(() -> waker.wake(event)));
            }
            int woken = 0;
            int ignored = 0;
            for (Future<WakeReport> report : reports) {
                woken += report.get(30, TimeUnit.SECONDS).woken();
                ignored += report.get().ignored();
            }
            // One signal at once, one at the end of the throttle's second with the latest event; the rest rode on it.
            assertThat(woken).as("signals sent").isBetween(1, 2);
            assertThat(woken + ignored).isEqualTo(10);
        } finally {
            senders.shutdownNow();
        }
        awaitPokes(meta, 2);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> pokes(meta) == 2);
        assertThat(Long.parseLong(
                        String.valueOf(Structs.toMap(get(meta).getCustomInfo()).get("wakes"))))
                .isBetween(1L, 2L);
        delete(meta);
    }

    @Test
    void aWakePokeWaitsForItsTargetsRateLimit() {
        http.status("/rate-limited/object", 404, "");
        String url = http.url("/rate-limited/object");
        ByteString meta = create(url, "exact", "wake-rate-limited");
        awaitPokes(meta, 1);
        assertThat(http.seen()).hasSize(1);

        assertThat(waker.wake(event("rate", url)).woken()).isEqualTo(1);

        // The wake poke is deferred to the next turn of the limit, a minute after the first poke: no second request.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> service.metrics().find("sensor.pokes.rate.limited").counter() != null);
        await().during(Duration.ofSeconds(3)).until(() -> http.seen().size() == 1);
        delete(meta);
    }

    @Test
    void aSensorCreatedAMomentBeforeItsEventIsStillCaughtByItsPoll() throws IOException {
        // Visibility is eventually consistent: the event may not find a sensor this new. The poll is the guarantee.
        Path file = root.resolve("fresh/_SUCCESS");
        Files.createDirectories(file.getParent());
        ByteString meta = create(file.toString(), "exact", "wake-fresh", "1s");
        Files.writeString(file, "x");

        WakeReport report = waker.wake(event("fresh", file.toString()));

        assertThat(report.matched()).isBetween(0, 1);
        assertThat(awaitResource(meta, r -> r.getPhase() != Phase.RUNNING).getPhase())
                .isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void theReportSaysWhatEachEventDid() {
        Path absent = root.resolve("report/_SUCCESS");
        ByteString meta = create(absent.toString(), "exact", "wake-report");
        awaitPokes(meta, 1);

        assertThat(waker.wake(event("r1", absent.toString()))).isEqualTo(new WakeReport(1, 1, 0));
        assertThat(waker.wake(event("r2", root.resolve("nothing-waits").toString())))
                .isEqualTo(WakeReport.NONE);
        delete(meta);
    }

    @Test
    void theInMemoryServerRefusesEventsSayingWhy() throws IOException {
        try (SensorEngineService inMemory = SensorEngineService.start(
                ServiceConfig.inProcess("events-in-memory").build())) {
            EventWaker refusing = inMemory.eventWaker().orElseThrow();

            assertThatThrownBy(() -> refusing.wake(event("x", "/data/x")))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("in-memory Temporal server")
                    .hasMessageContaining("visibility")
                    .hasMessageContaining("still polled");
        }
    }

    static ObjectEvent event(String id, String object) {
        return new ObjectEvent("test", id, object, Instant.now());
    }

    private static ByteString create(String path, String match, String execution) {
        return create(path, match, execution, "1h");
    }

    private static ByteString create(String path, String match, String execution, String interval) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("poke_interval", interval);
        config.put("match", match);
        CreateTaskRequest request = FlytekitSensorTasks.createRequest(
                FlytekitSensorTasks.Task.fileSensor(execution + "-" + System.nanoTime(), path)
                        .withSensorConfig(config));
        return agent.createTask(request).getResourceMeta();
    }

    private static long pokes(ByteString meta) {
        return Long.parseLong(
                String.valueOf(Structs.toMap(get(meta).getCustomInfo()).get("pokes")));
    }

    private static Resource awaitPokes(ByteString meta, long pokes) {
        return awaitResource(
                meta,
                r -> String.valueOf(pokes)
                        .equals(String.valueOf(Structs.toMap(r.getCustomInfo()).get("pokes"))));
    }

    private static Resource get(ByteString meta) {
        return agent.getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .build())
                .getResource();
    }

    private static Resource awaitResource(ByteString meta, Predicate<Resource> condition) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> get(meta), condition);
    }

    private static List<String> logLines(ByteString meta) {
        List<String> lines = new java.util.ArrayList<>();
        agent.getTaskLogs(GetTaskLogsRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .build())
                .forEachRemaining(response -> {
                    if (response.hasBody()) {
                        response.getBody().getStructuredLinesList().forEach(l -> lines.add(l.getMessage()));
                    }
                });
        return lines;
    }

    private static void delete(ByteString meta) {
        agent.deleteTask(DeleteTaskRequest.newBuilder()
                .setTaskCategory(SENSOR)
                .setResourceMeta(meta)
                .build());
    }
}
