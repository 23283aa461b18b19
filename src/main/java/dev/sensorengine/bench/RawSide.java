package dev.sensorengine.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import dev.sensorengine.workflow.SensorWorkflow;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.sdk.v1.UserMetadata;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The raw-Temporal baseline: the fastest honest equivalent of each service call. StartWorkflowExecution of the same
 * sensor workflow with the request the service sends (spec, policies, memo, user metadata for the UI, search
 * attributes, task queue), and
 * DescribeWorkflowExecution of it; the same worker pokes both sides' sensors.
 */
final class RawSide implements BenchSide {

    private static final long DEADLINE_SECONDS = 10;
    private static final Duration TIMEOUT = Duration.ofDays(7);
    /** What the service adds to a sensor's timeout for its workflow's execution timeout. */
    private static final Duration EXECUTION_TIMEOUT_SLACK = Duration.ofHours(1);

    private final WorkflowServiceStubs stubs;
    private final String namespace;
    private final String taskQueue;
    private final Duration interval;
    private final boolean searchAttributes;
    private final DataConverter converter = Json.dataConverter();

    /** @param searchAttributes whether the service under test sets the sensor search attributes, so raw does too */
    RawSide(
            WorkflowServiceStubs stubs,
            String namespace,
            String taskQueue,
            Duration interval,
            boolean searchAttributes) {
        this.stubs = stubs;
        this.namespace = namespace;
        this.taskQueue = taskQueue;
        this.interval = interval;
        this.searchAttributes = searchAttributes;
    }

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public BenchSensor create(String tag, int index, String path) {
        String id = "bench-raw:" + tag + ":" + index;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SensorSpec spec = new SensorSpec(
                "flytekit.sensor.file_sensor",
                "FileSensor",
                Map.of("poke_interval", interval.toMillis() / 1000.0),
                Map.of("path", path),
                new PokePolicy(interval, Backoff.FIXED, interval.multipliedBy(10), TIMEOUT),
                now);
        Map<String, String> memo = new LinkedHashMap<>();
        memo.put("created_at", now.toString());
        memo.put("sensor", spec.qualifiedName());
        memo.put("target", path);
        memo.put("flyte_execution", "bench/development/raw-" + tag + "-" + index);
        memo.put("flyte_node", "n0");
        Memo.Builder memoPayloads = Memo.newBuilder();
        memo.forEach((key, value) ->
                memoPayloads.putFields(key, converter.toPayload(value).orElseThrow()));
        memoPayloads.putFields("flyte_retry_attempt", converter.toPayload(0).orElseThrow());
        SearchAttributes.Builder attributes = SearchAttributes.newBuilder();
        if (searchAttributes) {
            attributes.putIndexedFields("FlyteExecution", keyword(memo.get("flyte_execution")));
            attributes.putIndexedFields("FlyteSensor", keyword(memo.get("sensor")));
            attributes.putIndexedFields("SensorTarget", keyword(path));
        }
        stubs.blockingStub()
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                        .setNamespace(namespace)
                        .setWorkflowId(id)
                        .setWorkflowType(WorkflowType.newBuilder().setName(SensorWorkflow.TYPE))
                        .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
                        .setInput(converter.toPayloads(spec).orElseThrow())
                        .setWorkflowExecutionTimeout(Durations.fromMillis(
                                TIMEOUT.plus(EXECUTION_TIMEOUT_SLACK).toMillis()))
                        .setIdentity("sensor-bench")
                        .setRequestId(UUID.randomUUID().toString())
                        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                        .setMemo(memoPayloads)
                        .setUserMetadata(userMetadata(spec, memo, now))
                        .setSearchAttributes(attributes)
                        .build());
        return new BenchSensor(id, ByteString.EMPTY);
    }

    /**
     * A summary and details for the Temporal UI of the same shape and size as the service writes (engine's
     * UiMetadata): the sensor and its target; its execution, schedule, timeout and deadline in markdown.
     */
    private UserMetadata userMetadata(SensorSpec spec, Map<String, String> memo, Instant now) {
        String details = "**FileSensor** waits for `" + memo.get("target") + "`\n\n"
                + "- **Sensor:** `" + spec.qualifiedName() + "`\n"
                + "- **Flyte execution:** `" + memo.get("flyte_execution") + "`, node `n0`, retry attempt 0\n"
                + "- **Pokes:** every " + BenchCommand.text(interval) + " (fixed); after a poke error, backing off up"
                + " to " + BenchCommand.text(interval.multipliedBy(10)) + "\n"
                + "- **Next poke:** tab *Pending Activities*, activity `Poke`: *Next Retry* says when, *Attempt* "
                + "which poke it will be, *Last Failure* what the latest poke found\n"
                + "- **Timeout:** 7d from creation at " + now + "\n"
                + "- **Deadline:** " + spec.deadline() + "\n"
                + "- **This Flyte execution's sensors:** `FlyteExecution = \"" + memo.get("flyte_execution") + "\"`\n";
        return UserMetadata.newBuilder()
                .setSummary(
                        converter.toPayload("FileSensor: " + memo.get("target")).orElseThrow())
                .setDetails(converter.toPayload(details).orElseThrow())
                .build();
    }

    private Payload keyword(String value) {
        return converter.toPayload(value).orElseThrow().toBuilder()
                .putMetadata("type", ByteString.copyFromUtf8("Keyword"))
                .build();
    }

    @Override
    public Observation observe(BenchSensor sensor) {
        var described = stubs.blockingStub()
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(namespace)
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
        stubs.blockingStub()
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest.newBuilder()
                        .setNamespace(namespace)
                        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(sensor.workflowId()))
                        .build());
    }

    @Override
    public void discard(BenchSensor sensor) {
        terminate(stubs, namespace, sensor.workflowId());
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
