package dev.sensorengine.engine;

import dev.sensorengine.workflow.PokeCount;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The worker's side of {@link PokeCount}: describes the sensor's run and counts the finished attempts of its pending
 * poke, as {@link TemporalReader} does for a status. Called only when a wake poke ends a sensor or a run continues as
 * new, never per poke.
 */
public final class PendingPokeCounter implements PokeCount {

    private final WorkflowClient client;
    private final Duration callTimeout;

    public PendingPokeCounter(WorkflowClient client, Duration callTimeout) {
        this.client = client;
        this.callTimeout = callTimeout;
    }

    @Override
    public long pendingPokes(String workflowId, String runId) {
        var described = client.getWorkflowServiceStubs()
                .blockingStub()
                .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder()
                                .setWorkflowId(workflowId)
                                .setRunId(runId))
                        .build());
        return TemporalReader.longPoke(described.getPendingActivitiesList())
                .map(PendingPokeCounter::finished)
                .orElse(0L);
    }

    static long finished(PendingActivityInfo poke) {
        return Math.max(0, poke.getAttempt() - 1L);
    }
}
