package dev.sensorengine.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import dev.sensorengine.temporal.TemporalUnderTest.Server;
import dev.sensorengine.workflow.SensorWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The start policies of CreateTask (engine.SensorEngine): conflict policy USE_EXISTING and reuse policy
 * REJECT_DUPLICATE, so that a repeated CreateTask for the same attempt attaches to the same sensor whether it is running
 * or finished, and a finished one is never started again. The raw StartWorkflowExecution call, as the engine makes it;
 * no worker is needed.
 */
class StartPoliciesTest {

    @ParameterizedTest
    @EnumSource(Server.class)
    void aSecondStartOfARunningSensorAttachesToItsRun(Server server) throws Exception {
        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            String id = "start-twice-" + temporal.queue();

            StartWorkflowExecutionResponse first = start(temporal, id, Duration.ofHours(1));
            StartWorkflowExecutionResponse second = start(temporal, id, Duration.ofHours(1));

            assertThat(first.getStarted()).isTrue();
            assertThat(second.getStarted()).isFalse();
            assertThat(second.getRunId()).isEqualTo(first.getRunId());
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aStartAfterTheSensorEndedIsRefused(Server server) throws Exception {
        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            String terminated = "start-after-terminate-" + temporal.queue();
            String first = start(temporal, terminated, Duration.ofHours(1)).getRunId();
            temporal.service()
                    .blockingStub()
                    .terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder()
                            .setNamespace(TemporalUnderTest.NAMESPACE)
                            .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(terminated))
                            .setReason("deleted")
                            .build());
            String timedOut = "start-after-timeout-" + temporal.queue();
            start(temporal, timedOut, Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> temporal.describe(WorkflowExecution.newBuilder()
                                            .setWorkflowId(timedOut)
                                            .build())
                                    .getWorkflowExecutionInfo()
                                    .getStatus(),
                            status -> status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT);

            for (String id : new String[] {terminated, timedOut}) {
                StatusRuntimeException refused = catchThrowableOfType(
                        StatusRuntimeException.class, () -> start(temporal, id, Duration.ofHours(1)));
                assertThat(refused).as(id).isNotNull();
                assertThat(refused.getStatus().getCode()).as(id).isEqualTo(Status.Code.ALREADY_EXISTS);
            }
            assertThat(temporal.describe(WorkflowExecution.newBuilder()
                                    .setWorkflowId(terminated)
                                    .build())
                            .getWorkflowExecutionInfo()
                            .getExecution()
                            .getRunId())
                    .isEqualTo(first);
        }
    }

    /** As engine.SensorEngine starts a sensor, on a queue that no worker polls. */
    private static StartWorkflowExecutionResponse start(TemporalUnderTest temporal, String id, Duration timeout) {
        return temporal.service()
                .blockingStub()
                .startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                        .setNamespace(TemporalUnderTest.NAMESPACE)
                        .setWorkflowId(id)
                        .setWorkflowType(WorkflowType.newBuilder().setName(SensorWorkflow.TYPE))
                        .setTaskQueue(TaskQueue.newBuilder().setName(temporal.queue()))
                        .setWorkflowExecutionTimeout(Durations.fromMillis(timeout.toMillis()))
                        .setRequestId(UUID.randomUUID().toString())
                        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                        .build());
    }
}
