package dev.sensorengine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.testing.LogCapture;
import dev.sensorengine.testing.RealTemporal;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --register-namespace} on the real Temporal server: a missing namespace is registered with the retention
 * asked for and serves sensors at once; an existing one is left alone, with a warning when it forgets sensors too soon.
 */
class NamespaceRegistrationTest {

    @TempDir
    Path root;

    private WorkflowServiceStubs temporal;

    @BeforeEach
    void connect() {
        temporal = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(RealTemporal.shared())
                .build());
    }

    @AfterEach
    void disconnect() {
        temporal.shutdownNow();
    }

    @Test
    void aMissingNamespaceIsRegisteredWithItsRetentionAndServesSensorsAtOnce() throws Exception {
        String namespace =
                "flyte-sensors-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Files.writeString(root.resolve("_SUCCESS"), "");

        try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess("namespace-registration")
                .temporalTarget(RealTemporal.shared())
                .namespace(namespace)
                .registerNamespace(Duration.ofDays(14))
                .fileRoots(List.of(root))
                .build())) {
            assertThat(retention(namespace)).isEqualTo(Duration.ofDays(14));
            assertThat(runFileSensor(service)).isEqualTo(Phase.SUCCEEDED);
        }
        // A second start finds it and leaves it as it is.
        try (SensorEngineService again = SensorEngineService.start(ServiceConfig.inProcess("namespace-registration")
                .temporalTarget(RealTemporal.shared())
                .namespace(namespace)
                .registerNamespace(Duration.ofDays(30))
                .build())) {
            assertThat(retention(namespace)).isEqualTo(Duration.ofDays(14));
        }
    }

    @Test
    void anExistingNamespaceThatForgetsSensorsBeforeTheirTimeoutIsReported() throws Exception {
        // The dev server made "default" with a retention of one day; these sensors time out after seven.
        Duration existing = retention("default");
        assertThat(existing).isLessThan(Duration.ofDays(7));

        try (LogCapture logs = LogCapture.start();
                SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess("namespace-existing")
                        .temporalTarget(RealTemporal.shared())
                        .defaultTimeout(Duration.ofDays(7))
                        .registerNamespace(Duration.ofDays(14))
                        .build())) {
            assertThat(logs.text())
                    .contains("namespace default keeps a sensor's record only " + existing
                            + " after it ends, less than --default-timeout PT168H")
                    .contains("temporal operator namespace update -n default --retention 14d");
            assertThat(retention("default")).isEqualTo(existing);
        }
    }

    private Duration retention(String namespace) {
        return Duration.ofMillis(Durations.toMillis(temporal.blockingStub()
                .describeNamespace(DescribeNamespaceRequest.newBuilder()
                        .setNamespace(namespace)
                        .build())
                .getConfig()
                .getWorkflowExecutionRetentionTtl()));
    }

    private Phase runFileSensor(SensorEngineService service) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                .usePlaintext()
                .build();
        try {
            var agent = AsyncAgentServiceGrpc.newBlockingStub(channel);
            var meta = agent.createTask(FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                            "proj",
                            "dev",
                            "exec-namespace",
                            "n0",
                            0,
                            "flytekit.sensor.file_sensor",
                            "FileSensor",
                            Map.of(),
                            Map.of("path", root.resolve("_SUCCESS").toString()),
                            Optional.empty())))
                    .getResourceMeta();
            return await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> agent.getTask(GetTaskRequest.newBuilder()
                                            .setTaskCategory(TaskCategory.newBuilder()
                                                    .setName("sensor")
                                                    .setVersion(0))
                                            .setResourceMeta(meta)
                                            .build())
                                    .getResource()
                                    .getPhase(),
                            phase -> phase != Phase.RUNNING);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
