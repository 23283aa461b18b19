package dev.sensorengine.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.Role;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.RealTemporal;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When the real Temporal refuses a call, propeller hears what to fix, not an UNAVAILABLE it retries forever. */
class TemporalRefusalsTest {

    @Test
    void aNamespaceTemporalDoesNotHaveIsAFailedPreconditionNamingIt() throws Exception {
        try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess("refusals")
                .temporalTarget(RealTemporal.shared())
                .namespace("no-such-namespace")
                .role(Role.API)
                .build())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                    .usePlaintext()
                    .build();
            try {
                var agent = AsyncAgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
                assertThatThrownBy(
                                () -> agent.createTask(FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                                        "p",
                                        "d",
                                        "exec-namespace",
                                        "n0",
                                        0,
                                        "flytekit.sensor.file_sensor",
                                        "FileSensor",
                                        Map.of(),
                                        Map.of("path", "s3://bucket/key"),
                                        Optional.empty()))))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                            assertThat(e.getStatus().getDescription())
                                    .contains("no namespace 'no-such-namespace'")
                                    .contains("--namespace");
                        });
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
