package dev.sensorengine.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.runtime.TemporalDevServer;
import dev.sensorengine.testing.RealTemporal;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With Temporal gone, calls fail as UNAVAILABLE within propeller's 10 s deadline rather than hang or look like bugs. */
class TemporalOutageTest {

    @TempDir
    Path root;

    @Test
    void withoutAGraceGetAndCreateAreUnavailableWhileTemporalIsDown() throws Exception {
        TemporalDevServer temporal = RealTemporal.start(root.resolve("temporal"));
        try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess("outage")
                .temporalTarget(temporal.target())
                .fileRoots(List.of(root))
                .outageGrace(Duration.ZERO)
                .build())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                    .usePlaintext()
                    .build();
            var agent = AsyncAgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            var request = FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                    "p",
                    "d",
                    "outage",
                    "n0",
                    0,
                    "flytekit.sensor.file_sensor",
                    "FileSensor",
                    Map.of(),
                    Map.of("path", root.resolve("f").toString()),
                    Optional.empty()));
            ByteString meta = agent.createTask(request).getResourceMeta();

            temporal.close();

            var get = AsyncAgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> get.getTask(GetTaskRequest.newBuilder()
                            .setResourceMeta(meta)
                            .setTaskCategory(TaskCategory.newBuilder().setName("sensor"))
                            .build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            var create = AsyncAgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> create.createTask(request))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            channel.shutdownNow();
        } finally {
            temporal.close();
        }
    }

    @Test
    void healthStaysUpThroughTheGraceThenFollowsTemporalAndRecoversWithoutARestart() throws Exception {
        int port = freePort();
        Path state = root.resolve("temporal");
        TemporalDevServer temporal = RealTemporal.start(state, port);
        Duration grace = Duration.ofSeconds(4);
        try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess("outage-health")
                .temporalTarget(temporal.target())
                .fileRoots(List.of(root))
                .outageGrace(grace)
                .build())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                    .usePlaintext()
                    .build();
            assertThat(health(channel, "")).isEqualTo(ServingStatus.SERVING);

            long down = System.nanoTime();
            temporal.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> health(channel, "") == ServingStatus.NOT_SERVING);
            // Within the grace the replica stayed in its Service: GetTask answers for its sensors then.
            assertThat(Duration.ofNanos(System.nanoTime() - down)).isGreaterThanOrEqualTo(grace);
            assertThat(health(channel, "flyteidl.service.AsyncAgentService")).isEqualTo(ServingStatus.NOT_SERVING);
            assertThat(health(channel, "liveness")).isEqualTo(ServingStatus.SERVING);

            temporal = RealTemporal.start(state, port);
            await().atMost(Duration.ofSeconds(30)).until(() -> health(channel, "") == ServingStatus.SERVING);
            channel.shutdownNow();
        } finally {
            temporal.close();
        }
    }

    private static ServingStatus health(ManagedChannel channel, String service) {
        return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build())
                .getStatus();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
