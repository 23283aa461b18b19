package dev.sensorengine.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.runtime.TemporalDevServer;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.testing.TcpProxy;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporal goes away under a steady load of propeller-like calls and comes back, while the service keeps running:
 * calls fail as UNAVAILABLE (or at their deadline) and never late or as bugs, health follows Temporal, threads do
 * not pile up, calls succeed again without a restart, and no sensor is lost or created twice.
 *
 * <p>Three outages of the real Temporal server: the network to it is cut and restored; it is restarted on its
 * database; and it is restarted on the same port with a new database, its state gone, so that every sensor must be
 * adopted again from its resource_meta on its next get.
 */
class TemporalRestartUnderLoadTest {

    private static final int SENSORS = 50;
    private static final int LOAD_THREADS = 10;
    /** How long Temporal stays away at least; the test waits for health to notice, which can take longer. */
    private static final Duration DOWN_AT_LEAST = Duration.ofSeconds(3);
    /** Extra live threads tolerated once the outage is over (the restarted server's own, gRPC's idle workers). */
    private static final int THREAD_MARGIN = 20;

    @TempDir
    Path root;

    @Test
    void networkToTemporalCutAndRestored() throws Exception {
        TemporalDevServer temporal = RealTemporal.start(root.resolve("temporal"));
        try (TcpProxy proxy = new TcpProxy(temporal.target())) {
            survive(new Outage("network cut", proxy.target(), temporal.target(), true) {
                @Override
                void stop() {
                    proxy.cut();
                }

                @Override
                void start() {
                    proxy.restore();
                }
            });
        } finally {
            temporal.close();
        }
    }

    @Test
    void temporalRestartedOnItsDatabase() throws Exception {
        int port = freePort();
        Path state = root.resolve("temporal");
        TemporalDevServer[] temporal = {RealTemporal.start(state, port)};
        try {
            survive(new Outage("restart", temporal[0].target(), temporal[0].target(), true) {
                @Override
                void stop() throws InterruptedException {
                    temporal[0].close();
                }

                @Override
                void start() throws IOException {
                    temporal[0] = RealTemporal.start(state, port);
                }
            });
        } finally {
            temporal[0].close();
        }
    }

    @Test
    void temporalRestartedWithItsStateLost() throws Exception {
        int port = freePort();
        TemporalDevServer[] temporal = {RealTemporal.start(root.resolve("temporal"), port)};
        try {
            survive(new Outage("restart on a new database", temporal[0].target(), temporal[0].target(), false) {
                @Override
                void stop() throws InterruptedException {
                    temporal[0].close();
                }

                @Override
                void start() throws IOException {
                    temporal[0] = RealTemporal.start(root.resolve("temporal-after"), port);
                }
            });
        } finally {
            temporal[0].close();
        }
    }

    /** What goes wrong with Temporal, and how it comes back. */
    private abstract static class Outage {
        final String name;
        /** Where the service reaches Temporal. */
        final String serviceTarget;
        /** Where the test reads Temporal's own record, bypassing the outage. */
        final String temporalTarget;

        final boolean keepsState;

        Outage(String name, String serviceTarget, String temporalTarget, boolean keepsState) {
            this.name = name;
            this.serviceTarget = serviceTarget;
            this.temporalTarget = temporalTarget;
            this.keepsState = keepsState;
        }

        abstract void stop() throws Exception;

        abstract void start() throws Exception;
    }

    private void survive(Outage outage) throws Exception {
        String execution = "outage-" + outage.name.replace(' ', '-');
        // No outage grace: this test is about how calls fail while Temporal is away (PropellerBudgetTest is about
        // the grace that spares them).
        try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess(execution)
                .temporalTarget(outage.serviceTarget)
                .fileRoots(List.of(root))
                .outageGrace(Duration.ZERO)
                .build())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                    .usePlaintext()
                    .build();
            SensorLoad load = new SensorLoad(channel, root, execution, outage.keepsState);
            ThreadGauge threads = new ThreadGauge();
            long downMillis;
            try {
                load.createSensors(SENSORS);
                load.start(LOAD_THREADS);
                await().atMost(Duration.ofSeconds(20)).until(() -> load.succeeded() >= 200);
                int before = threads.sample();
                Map<String, Long> beforeCensus = ThreadGauge.census();

                long down = System.nanoTime();
                outage.stop();
                // Each wait also samples the thread count, for its peak.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> threads.sample() > 0
                                && health(channel) == ServingStatus.NOT_SERVING
                                && load.failedCalls() >= LOAD_THREADS
                                && System.nanoTime() - down >= DOWN_AT_LEAST.toNanos());
                outage.start();
                downMillis = (System.nanoTime() - down) / 1_000_000;
                load.restored();

                await().atMost(Duration.ofSeconds(30))
                        .until(() -> threads.sample() > 0
                                && health(channel) == ServingStatus.SERVING
                                && load.recoveredCalls() >= 100);
                // Every sensor answers again, the same sensor; after a restart, this get adopts it again.
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(
                                () -> assertThat(notYet(load, Phase.RUNNING)).isEmpty());
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(threads.sample())
                                .as(
                                        "live threads after the outage; before %s, now %s",
                                        beforeCensus, ThreadGauge.census())
                                .isLessThanOrEqualTo(before + THREAD_MARGIN));
                load.close();
                await().atMost(Duration.ofSeconds(30)).until(load::settlePending);

                System.out.printf(
                        "Temporal outage (%s, %d ms down) under load: %d calls, %d failed %s "
                                + "(slowest %d ms), %d recovered (first %d ms after Temporal returned), %d sensors lost, "
                                + "%d live, %d deleted; "
                                + "threads %d before, %d peak, %d after%n",
                        outage.name,
                        downMillis,
                        load.calls(),
                        load.failedCalls(),
                        load.failedByCode(),
                        load.slowestFailureMillis(),
                        load.recoveredCalls(),
                        load.timeToRecover().orElseThrow().toMillis(),
                        load.lost().size(),
                        load.live().size(),
                        load.deleted().size(),
                        before,
                        threads.peak(),
                        threads.sample());

                assertThat(load.wrongFailures())
                        .as("calls that failed late or with a wrong status")
                        .isEmpty();
                assertThat(load.lost()).as("sensors lost or created twice").isEmpty();
                assertThat(threads.peak())
                        .as("live threads during the outage: before %s, at the peak %s", beforeCensus, threads.atPeak())
                        .isLessThan(before + 3 * LOAD_THREADS);
                // Visibility, which lists open workflows, trails the workflows themselves on the real server.
                Set<String> live =
                        load.live().stream().map(SensorLoad.Sensor::node).collect(Collectors.toSet());
                await().atMost(Duration.ofSeconds(15))
                        .untilAsserted(() -> assertThat(openSensors(outage.temporalTarget))
                                .as("one open workflow per live sensor, none more")
                                .isEqualTo(live));

                for (SensorLoad.Sensor sensor : load.live()) {
                    Files.createFile(load.file(sensor.node()));
                }
                // The Java SDK's pollers back off while Temporal is away, up to a minute between polls (its
                // PollerOptions, not configurable), and a poke cut off mid-call comes back after its one-minute
                // start-to-close timeout: every sensor sees its file within about a minute and a poke.
                await().atMost(Duration.ofSeconds(150))
                        .untilAsserted(
                                () -> assertThat(notYet(load, Phase.SUCCEEDED)).isEmpty());
            } finally {
                load.close();
                channel.shutdownNow();
            }
        }
    }

    /** The sensors that do not answer {@code phase} now, with what they answer instead. */
    private static Map<String, String> notYet(SensorLoad load, Phase phase) {
        Map<String, String> others = new TreeMap<>();
        for (SensorLoad.Sensor sensor : load.live()) {
            try {
                var resource = load.resource(sensor);
                if (resource.getPhase() != phase) {
                    others.put(sensor.node(), resource.getPhase() + " " + resource.getMessage());
                }
            } catch (StatusRuntimeException e) {
                others.put(
                        sensor.node(),
                        e.getStatus().getCode() + " " + e.getStatus().getDescription());
            }
        }
        return others;
    }

    /** Node ids of the sensor workflows Temporal runs. */
    private static Set<String> openSensors(String target) {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
        try {
            return stubs
                    .blockingStub()
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
                            .setNamespace("default")
                            .setMaximumPageSize(1000)
                            .build())
                    .getExecutionsList()
                    .stream()
                    // flyte-sensor:p:d:execution:node:attempt
                    .map(info -> info.getExecution().getWorkflowId().split(":")[4])
                    .collect(Collectors.toSet());
        } finally {
            stubs.shutdownNow();
        }
    }

    private static ServingStatus health(ManagedChannel channel) {
        return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build())
                .getStatus();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Live threads of this JVM (service, Temporal and test alike), the most seen, and which they were. */
    private static final class ThreadGauge {
        private int peak;
        private Map<String, Long> atPeak = Map.of();

        synchronized int sample() {
            int now = ManagementFactory.getThreadMXBean().getThreadCount();
            if (now > peak) {
                peak = now;
                atPeak = census();
            }
            return now;
        }

        synchronized int peak() {
            return peak;
        }

        /** Threads at the peak by name, numbers left out, for a failure message. */
        synchronized Map<String, Long> atPeak() {
            return atPeak;
        }

        /** Live threads by name, numbers left out: what a pile-up is made of. */
        static Map<String, Long> census() {
            return Thread.getAllStackTraces().keySet().stream()
                    .collect(Collectors.groupingBy(
                            thread -> thread.getName()
                                    .replaceFirst("^workflow-method-.*", "workflow-method-*")
                                    .replaceAll("[0-9]+", "#"),
                            TreeMap::new,
                            Collectors.counting()));
        }
    }
}
