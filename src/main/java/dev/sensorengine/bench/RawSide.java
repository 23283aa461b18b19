package dev.sensorengine.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import dev.sensorengine.workflow.SensorWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The raw-Temporal baseline: the fastest honest equivalent of each service call. StartWorkflowExecution of the
 * same sensor workflow with the same spec and policies on the same task queue, and DescribeWorkflowExecution of
 * it; the same worker pokes both sides' sensors.
 */
final class RawSide implements BenchSide {

    private static final long DEADLINE_SECONDS = 10;

    private final WorkflowClient client;
    private final String taskQueue;
    private final Duration interval;

    RawSide(WorkflowClient client, String taskQueue, Duration interval) {
        this.client = client;
        this.taskQueue = taskQueue;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public BenchSensor create(String tag, int index, Path path) {
        String id = "bench-raw:" + tag + ":" + index;
        SensorSpec spec = new SensorSpec(
                "flytekit.sensor.file_sensor",
                "FileSensor",
                Map.of(),
                Map.of("path", path.toString()),
                new PokePolicy(interval, Backoff.FIXED, interval.multipliedBy(10), Duration.ofDays(7)),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        client.newUntypedWorkflowStub(
                        SensorWorkflow.TYPE,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(id)
                                .setTaskQueue(taskQueue)
                                .setWorkflowIdConflictPolicy(
                                        WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                                .setWorkflowIdReusePolicy(
                                        WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                                .build())
                .start(spec);
        return new BenchSensor(id, ByteString.EMPTY);
    }

    @Override
    public Observation observe(BenchSensor sensor) {
        var described = client.getWorkflowServiceStubs()
                .blockingStub()
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(sensor.workflowId()))
                        .build());
        boolean completed = described.getWorkflowExecutionInfo().getStatus()
                == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;
        return new Observation(
                completed,
                described.getPendingActivitiesList().stream().findFirst().flatMap(RawSide::nextPoke));
    }

    /** The next attempt's time, or the last attempt's end plus the delay the poke asked for. */
    private static Optional<Instant> nextPoke(PendingActivityInfo poke) {
        if (poke.hasNextAttemptScheduleTime()) {
            return Optional.of(instant(poke.getNextAttemptScheduleTime()));
        }
        if (poke.hasLastAttemptCompleteTime()
                && poke.getLastFailure().getApplicationFailureInfo().hasNextRetryDelay()) {
            var delay = poke.getLastFailure().getApplicationFailureInfo().getNextRetryDelay();
            return Optional.of(instant(poke.getLastAttemptCompleteTime())
                    .plus(Duration.ofSeconds(delay.getSeconds(), delay.getNanos())));
        }
        return Optional.empty();
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    @Override
    public void delete(BenchSensor sensor) {
        client.getWorkflowServiceStubs()
                .blockingStub()
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(sensor.workflowId()))
                        .build());
    }

    @Override
    public void discard(BenchSensor sensor) {
        terminate(client.getWorkflowServiceStubs(), client.getOptions().getNamespace(), sensor.workflowId());
    }

    static void terminate(WorkflowServiceStubs stubs, String namespace, String workflowId) {
        stubs.blockingStub()
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder()
                        .setNamespace(namespace)
                        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .setReason("benchmark round over")
                        .build());
    }
}
