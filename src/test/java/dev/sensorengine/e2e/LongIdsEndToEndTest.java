package dev.sensorengine.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.testing.ServiceUnderTest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long Flyte ids against a Temporal that stores workflow ids as PostgreSQL does: the real dev server, run with
 * {@code limit.maxIDLength=255} as {@code serve} runs it. A readable id up to 255 bytes is used as it is; a longer one
 * becomes its hash, and the sensor runs either way.
 */
class LongIdsEndToEndTest {

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();
    /** {@code flyte-sensor:flytesnacks:development:} before the execution name, {@code :n0:0} after it. */
    private static final int AROUND_EXECUTION = "flyte-sensor:flytesnacks:development:".length() + ":n0:0".length();

    @TempDir
    static Path root;

    private static ServiceUnderTest running;
    private static AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent;

    @BeforeAll
    static void startService() throws IOException {
        running = ServiceUnderTest.start(ServiceConfig.inProcess("e2e-long-ids")
                .temporalTarget(RealTemporal.shared())
                .pokeIntervals(Duration.ofMillis(300), Duration.ofSeconds(2))
                .fileRoots(List.of(root))
                .build());
        agent = running.agent();
        Files.writeString(root.resolve("_SUCCESS"), "");
    }

    @AfterAll
    static void stopService() throws InterruptedException {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void theServerRefusesWorkflowIdsOver255Bytes() {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(RealTemporal.shared())
                .build());
        try {
            assertThatThrownBy(() -> stubs.blockingStub()
                            .startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                                    .setNamespace("default")
                                    .setWorkflowId("x".repeat(256))
                                    .setWorkflowType(WorkflowType.newBuilder().setName("Nothing"))
                                    .setTaskQueue(TaskQueue.newBuilder().setName("e2e-long-ids-nobody"))
                                    .setRequestId(UUID.randomUUID().toString())
                                    .build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("exceeds maximum allowed length (256/255)");
        } finally {
            stubs.shutdownNow();
        }
    }

    @Test
    void anIdOf255BytesStaysReadable() {
        String execution = "a".repeat(255 - AROUND_EXECUTION);

        Resource done = runToTheEnd(execution);

        assertThat(Structs.toMap(done.getCustomInfo()).get("workflow_id"))
                .isEqualTo("flyte-sensor:flytesnacks:development:" + execution + ":n0:0");
    }

    @Test
    void aLongerIdBecomesItsHashAndTheSensorRuns() {
        // 256 and 600 bytes: both refused by a PostgreSQL-backed Temporal as readable ids.
        for (int length : List.of(256, 600)) {
            Resource done = runToTheEnd("b".repeat(length - AROUND_EXECUTION));

            assertThat((String) Structs.toMap(done.getCustomInfo()).get("workflow_id"))
                    .startsWith("flyte-sensor:long:")
                    .hasSizeLessThanOrEqualTo(255);
        }
    }

    private static Resource runToTheEnd(String execution) {
        ByteString meta = agent.createTask(FlytekitSensorTasks.createRequest(FlytekitSensorTasks.Task.fileSensor(
                        execution, root.resolve("_SUCCESS").toString())))
                .getResourceMeta();
        Resource done = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> agent.getTask(GetTaskRequest.newBuilder()
                                        .setTaskCategory(SENSOR)
                                        .setResourceMeta(meta)
                                        .build())
                                .getResource(),
                        r -> r.getPhase() != Phase.RUNNING);
        assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(Phase.SUCCEEDED);
        return done;
    }
}
