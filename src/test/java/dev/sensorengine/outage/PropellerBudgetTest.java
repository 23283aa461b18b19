package dev.sensorengine.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.Role;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.runtime.TemporalDevServer;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.testing.TcpProxy;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Propeller's budget of failed gets: it fails a connector task for good once more than five of its GetTask calls
 * have failed, counted over the task's whole life and never reset by a success. A long sensor that lives through a
 * few short Temporal outages must not spend that budget.
 */
class PropellerBudgetTest {

    /** Propeller's {@code MaxSystemFailures}: past this many failed gets in its life, a task fails. */
    private static final int MAX_SYSTEM_FAILURES = 5;
    /** Propeller gives every call 10 s. */
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path root;

    @Test
    void sensorsRideOutThreeTemporalOutagesWithoutAFailedGet() throws Exception {
        int port = freePort();
        Path state = root.resolve("temporal");
        TemporalDevServer temporal = RealTemporal.start(state, port);
        try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess("budget")
                .temporalTarget(temporal.target())
                .fileRoots(List.of(root))
                .pokeIntervals(Duration.ofMillis(500), Duration.ofSeconds(2))
                .outageGrace(Duration.ofMinutes(10))
                .build())) {
            Propeller propeller = new Propeller(service.grpcPort());
            List<ByteString> metas = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                metas.add(propeller.create("budget-" + i, root.resolve("f" + i)));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> metas.stream()
                            .allMatch(meta -> propeller.get(meta).getMessage().contains("does not exist")));

            for (int outage = 0; outage < 3; outage++) {
                temporal.close();
                // While Temporal is away, every get answers, and says the state is unknown.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> metas.stream()
                                .allMatch(
                                        meta -> propeller.get(meta).getMessage().startsWith("state unknown")));
                Resource unknown = propeller.get(metas.get(0));
                assertThat(unknown.getPhase()).isEqualTo(Phase.RUNNING);
                assertThat(unknown.getMessage()).contains("Temporal unreachable for");
                assertThat(Structs.toMap(unknown.getCustomInfo())).containsKey("temporal_unreachable_for");
                temporal = RealTemporal.start(state, port);
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> metas.stream()
                                .allMatch(
                                        meta -> propeller.get(meta).getMessage().contains("does not exist")));
            }
            for (int i = 0; i < 3; i++) {
                Files.writeString(root.resolve("f" + i), "ready");
            }
            await().atMost(Duration.ofSeconds(90))
                    .until(() ->
                            metas.stream().allMatch(meta -> propeller.get(meta).getPhase() == Phase.SUCCEEDED));

            assertThat(propeller.failedGets)
                    .as("gets that failed, of %d", propeller.gets)
                    .isZero();
            propeller.close();
        } finally {
            temporal.close();
        }
    }

    @Test
    void pastTheGraceAGetIsUnavailableAndSpendsTheBudget() throws Exception {
        TemporalDevServer temporal = RealTemporal.start(root.resolve("temporal"));
        try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess("budget-grace")
                .temporalTarget(temporal.target())
                .fileRoots(List.of(root))
                .outageGrace(Duration.ofSeconds(2))
                .build())) {
            Propeller propeller = new Propeller(service.grpcPort());
            ByteString meta = propeller.create("grace", root.resolve("never"));
            temporal.close();

            await().atMost(Duration.ofSeconds(30)).until(() -> propeller.failed(meta) == Status.Code.UNAVAILABLE);
            propeller.close();
        } finally {
            temporal.close();
        }
    }

    @Test
    void everyTemporalCallOfAGetFitsInTheCallersDeadline() throws Exception {
        TemporalDevServer temporal = RealTemporal.start(root.resolve("temporal"));
        try (TcpProxy slow = new TcpProxy(temporal.target());
                SensorEngineService service = apiThrough(slow, "budget-slow")) {
            Propeller propeller = new Propeller(service.grpcPort());
            // A sensor whose workflow is gone: its get re-adopts it, four Temporal calls in a row.
            ByteString meta = propeller.create("slow", root.resolve("never"));
            slow.delay(Duration.ofSeconds(4));
            // The gone workflow: terminated and deleted would take a retention; a new namespace of ours is not
            // possible on a shared server, so a meta naming a workflow that never existed stands for it.
            ByteString gone = ByteString.copyFromUtf8(meta.toStringUtf8()
                    .replace("flyte-sensor:flytesnacks:development:slow", "flyte-sensor:flytesnacks:development:gone"));

            long started = System.nanoTime();
            Status.Code code = propeller.failed(gone);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(code)
                    .as("an answer the caller can act on, not its own deadline")
                    .isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(took).isLessThan(CALL_DEADLINE);
            propeller.close();
        } finally {
            temporal.close();
        }
    }

    @Test
    void aCreateTaskThatTemporalAnswersSlowlyButWithinTheDeadlineSucceeds() throws Exception {
        TemporalDevServer temporal = RealTemporal.start(root.resolve("temporal"));
        try (TcpProxy slow = new TcpProxy(temporal.target());
                SensorEngineService service = apiThrough(slow, "budget-start")) {
            Propeller propeller = new Propeller(service.grpcPort());
            propeller.create("warm", root.resolve("never")); // the connection's first exchanges, not slowed
            // Past the 5 s that one read may take, within the 9.5 s that the caller's deadline leaves.
            slow.delay(Duration.ofSeconds(6));

            long started = System.nanoTime();
            ByteString meta = propeller.create("slow-start", root.resolve("never"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(meta.toStringUtf8()).contains("slow-start");
            assertThat(took).as("the start was held").isGreaterThanOrEqualTo(Duration.ofSeconds(6));
            slow.delay(Duration.ZERO);
            assertThat(propeller.get(meta).getPhase()).isEqualTo(Phase.RUNNING);
            propeller.close();
        } finally {
            temporal.close();
        }
    }

    /**
     * An API replica that reaches Temporal through {@code proxy}, with no outage grace: a Temporal call that times out
     * is the caller's UNAVAILABLE, not a "state unknown" answer.
     */
    private SensorEngineService apiThrough(TcpProxy proxy, String name) throws IOException {
        return SensorEngineService.start(ServiceConfig.inProcess(name)
                .temporalTarget(proxy.target())
                .fileRoots(List.of(root))
                .role(Role.API)
                .outageGrace(Duration.ZERO)
                .build());
    }

    /** Calls the service as propeller does, counting failed gets over the sensors' life. */
    private static final class Propeller {
        private final ManagedChannel channel;
        private final AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent;
        int gets;
        int failedGets;

        Propeller(int port) {
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                    .usePlaintext()
                    .build();
            agent = AsyncAgentServiceGrpc.newBlockingStub(channel);
        }

        ByteString create(String execution, Path file) {
            return agent.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .createTask(FlytekitSensorTasks.createRequest(
                            FlytekitSensorTasks.Task.fileSensor(execution, file.toString())
                                    .withSensorConfig(Map.of("poke_interval", "500ms"))))
                    .getResourceMeta();
        }

        Resource get(ByteString meta) {
            gets++;
            try {
                return agent.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        .getTask(GetTaskRequest.newBuilder()
                                .setTaskCategory(TaskCategory.newBuilder().setName("sensor"))
                                .setResourceMeta(meta)
                                .build())
                        .getResource();
            } catch (StatusRuntimeException e) {
                failedGets++;
                assertThat(failedGets)
                        .as("propeller would have failed the task: %s", e.getStatus())
                        .isLessThanOrEqualTo(MAX_SYSTEM_FAILURES);
                return Resource.getDefaultInstance();
            }
        }

        /** The code of a get that must fail. */
        Status.Code failed(ByteString meta) {
            try {
                agent.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        .getTask(GetTaskRequest.newBuilder()
                                .setTaskCategory(TaskCategory.newBuilder().setName("sensor"))
                                .setResourceMeta(meta)
                                .build());
                return Status.Code.OK;
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode();
            }
        }

        void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
