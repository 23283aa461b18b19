package dev.sensorengine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.testing.RealTemporal;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With --search-attributes, each sensor workflow carries its execution, sensor and target as Keywords. */
class SearchAttributesTest {

    @TempDir
    Path root;

    @Test
    void sensorsAreFindableBySensorExecutionAndTarget() throws Exception {
        try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess("search")
                .temporalTarget(RealTemporal.shared())
                .fileRoots(List.of(root))
                .searchAttributes(true)
                .build())) {
            var channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                    .usePlaintext()
                    .build();
            String path = root.resolve("wanted").toString();
            AsyncAgentServiceGrpc.newBlockingStub(channel)
                    .createTask(FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                            "proj",
                            "dev",
                            "exec-search",
                            "n0",
                            0,
                            "flytekit.sensor.file_sensor",
                            "FileSensor",
                            Map.of(),
                            Map.of("path", path),
                            Optional.empty())));
            WorkflowServiceStubs temporal =
                    WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                            .setTarget(service.temporalTarget())
                            .build());

            var fields = await().until(
                            () -> temporal.blockingStub()
                                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                                            .setNamespace("default")
                                            .setExecution(WorkflowExecution.newBuilder()
                                                    .setWorkflowId("flyte-sensor:proj:dev:exec-search:n0:0"))
                                            .build())
                                    .getWorkflowExecutionInfo()
                                    .getSearchAttributes()
                                    .getIndexedFieldsMap(),
                            map -> !map.isEmpty());

            assertThat(fields.get("FlyteSensor").getData().toStringUtf8())
                    .isEqualTo("\"flytekit.sensor.file_sensor.FileSensor\"");
            assertThat(fields.get("FlyteExecution").getData().toStringUtf8()).isEqualTo("\"proj/dev/exec-search\"");
            assertThat(fields.get("SensorTarget").getData().toStringUtf8()).isEqualTo("\"" + path + "\"");
            temporal.shutdownNow();
            channel.shutdownNow();
        }
    }
}
