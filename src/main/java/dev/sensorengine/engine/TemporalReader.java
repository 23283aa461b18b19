package dev.sensorengine.engine;

import com.google.protobuf.Timestamp;
import dev.sensorengine.workflow.SensorResult;
import dev.sensorengine.workflow.SensorWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a sensor workflow's state straight from Temporal's frontend, without waiting ({@link TemporalCalls}):
 * DescribeWorkflowExecution while it runs (no worker needed, so status keeps answering during worker outages), plus
 * the close event once it has ended.
 */
final class TemporalReader {

    private final TemporalCalls calls;
    private final DataConverter converter;
    private final String namespace;

    TemporalReader(TemporalCalls calls, DataConverter converter, String namespace) {
        this.calls = calls;
        this.converter = converter;
        this.namespace = namespace;
    }

    private static final String MEMO_POKES_CARRIED = SensorWorkflow.MEMO_POKES_CARRIED;

    /** The memo key holding the sensor's creation time, which a re-adopted workflow keeps. */
    static final String MEMO_CREATED_AT = "created_at";

    /** The creation time recorded in the workflow's memo; empty when Temporal has no such workflow. */
    CompletableFuture<Optional<Instant>> createdAt(String workflowId, CallBudget budget) {
        return describe(workflowId, budget).handle((described, failure) -> {
            if (failure != null) {
                if (Stages.cause(failure) instanceof StatusRuntimeException e
                        && e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                    return Optional.empty();
                }
                throw Stages.rethrown(failure);
            }
            var memo = described.getWorkflowExecutionInfo().getMemo().getFieldsMap();
            return Optional.ofNullable(memo.get(MEMO_CREATED_AT))
                    .map(payload -> Instant.parse(converter.fromPayload(payload, String.class, String.class)));
        });
    }

    /** The workflow's latest run; fails with {@code StatusRuntimeException} NOT_FOUND when there is none. */
    CompletableFuture<WorkflowSnapshot> read(String workflowId, CallBudget budget) {
        return describe(workflowId, budget).thenCompose(described -> snapshot(workflowId, described, budget));
    }

    private CompletableFuture<WorkflowSnapshot> snapshot(
            String workflowId, DescribeWorkflowExecutionResponse described, CallBudget budget) {
        var info = described.getWorkflowExecutionInfo();
        String runId = info.getExecution().getRunId();
        WorkflowSnapshot.State state = switch (info.getStatus()) {
            case WORKFLOW_EXECUTION_STATUS_COMPLETED -> WorkflowSnapshot.State.COMPLETED;
            case WORKFLOW_EXECUTION_STATUS_FAILED -> WorkflowSnapshot.State.FAILED;
            case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> WorkflowSnapshot.State.TIMED_OUT;
            case WORKFLOW_EXECUTION_STATUS_CANCELED -> WorkflowSnapshot.State.CANCELED;
            case WORKFLOW_EXECUTION_STATUS_TERMINATED -> WorkflowSnapshot.State.TERMINATED;
            default -> WorkflowSnapshot.State.OPEN;
        };
        Optional<PendingActivityInfo> poke = longPoke(described.getPendingActivitiesList());
        Map<String, io.temporal.api.common.v1.Payload> memo = info.getMemo().getFieldsMap();
        long pokes = poke.map(PendingPokeCounter::finished).orElse(0L) + memoLong(memo, MEMO_POKES_CARRIED);
        long wakes = memoLong(memo, SensorWorkflow.MEMO_WAKES);
        String lastWake = memoString(memo, SensorWorkflow.MEMO_LAST_WAKE);
        Optional<String> lastResult = poke.filter(PendingActivityInfo::hasLastFailure)
                .map(p -> p.getLastFailure().getMessage());
        Optional<Instant> lastPoke = poke.filter(PendingActivityInfo::hasLastAttemptCompleteTime)
                .map(p -> instant(p.getLastAttemptCompleteTime()));
        Optional<Instant> nextPoke = poke.flatMap(p -> p.hasNextAttemptScheduleTime()
                ? Optional.of(instant(p.getNextAttemptScheduleTime()))
                : WorkflowSnapshot.plus(lastPoke, retryDelay(p)));
        if (state == WorkflowSnapshot.State.OPEN) {
            return CompletableFuture.completedFuture(new WorkflowSnapshot(
                    runId,
                    state,
                    pokes,
                    lastResult,
                    lastPoke,
                    nextPoke,
                    Optional.empty(),
                    "",
                    Map.of(),
                    wakes,
                    lastWake));
        }
        return closeEvent(workflowId, runId, budget)
                .thenApply(close -> closed(runId, state, pokes, lastResult, lastPoke, wakes, lastWake, close));
    }

    private WorkflowSnapshot closed(
            String runId,
            WorkflowSnapshot.State state,
            long pokes,
            Optional<String> lastResult,
            Optional<Instant> lastPoke,
            long wakes,
            String lastWake,
            HistoryEvent close) {
        Optional<Instant> closeTime = Optional.of(instant(close.getEventTime()));
        if (close.hasWorkflowExecutionCompletedEventAttributes()) {
            SensorResult result = converter.fromPayloads(
                    0,
                    Optional.of(
                            close.getWorkflowExecutionCompletedEventAttributes().getResult()),
                    SensorResult.class,
                    SensorResult.class);
            return new WorkflowSnapshot(
                    runId,
                    state,
                    result.pokes(),
                    Optional.empty(),
                    Optional.of(result.readyAt()),
                    Optional.empty(),
                    closeTime,
                    result.message(),
                    result.details(),
                    wakes,
                    lastWake);
        }
        return new WorkflowSnapshot(
                runId,
                state,
                pokes,
                lastResult,
                lastPoke,
                Optional.empty(),
                closeTime,
                closeMessage(close),
                Map.of(),
                wakes,
                lastWake);
    }

    /**
     * Of a run's pending activities, its long poke: the one with the most attempts, since a wake poke beside it is
     * a single attempt (or a few, deferred by a rate limit) and the long one has usually poked more.
     */
    static Optional<PendingActivityInfo> longPoke(List<PendingActivityInfo> pending) {
        return pending.stream().max(Comparator.comparingInt(PendingActivityInfo::getAttempt));
    }

    private long memoLong(Map<String, io.temporal.api.common.v1.Payload> memo, String key) {
        var payload = memo.get(key);
        return payload == null ? 0 : converter.fromPayload(payload, Long.class, Long.class);
    }

    private String memoString(Map<String, io.temporal.api.common.v1.Payload> memo, String key) {
        var payload = memo.get(key);
        return payload == null ? "" : converter.fromPayload(payload, String.class, String.class);
    }

    /**
     * When each worker that polls {@code taskQueue} for activities last polled it, as DescribeTaskQueue lists them. The
     * server lists a poller for minutes after its worker died; the caller decides which are live.
     */
    CompletableFuture<List<Instant>> activityPollers(String taskQueue, CallBudget budget) {
        DescribeTaskQueueRequest request = DescribeTaskQueueRequest.newBuilder()
                .setNamespace(namespace)
                .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                .build();
        return calls.call(budget, stub -> stub.describeTaskQueue(request))
                .thenApply(response -> response.getPollersList().stream()
                        .map(poller -> instant(poller.getLastAccessTime()))
                        .toList());
    }

    private CompletableFuture<DescribeWorkflowExecutionResponse> describe(String workflowId, CallBudget budget) {
        DescribeWorkflowExecutionRequest request = DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build();
        return calls.call(budget, stub -> stub.describeWorkflowExecution(request));
    }

    private CompletableFuture<HistoryEvent> closeEvent(String workflowId, String runId, CallBudget budget) {
        GetWorkflowExecutionHistoryRequest request = GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(namespace)
                .setExecution(
                        WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
                .build();
        return calls.call(budget, stub -> stub.getWorkflowExecutionHistory(request))
                .thenApply(response -> {
                    var history = response.getHistory();
                    return history.getEventsCount() == 0
                            ? HistoryEvent.getDefaultInstance()
                            : history.getEvents(history.getEventsCount() - 1);
                });
    }

    private String closeMessage(HistoryEvent event) {
        if (event.hasWorkflowExecutionFailedEventAttributes()) {
            return event.getWorkflowExecutionFailedEventAttributes()
                    .getFailure()
                    .getMessage();
        }
        if (event.hasWorkflowExecutionTerminatedEventAttributes()) {
            String reason =
                    event.getWorkflowExecutionTerminatedEventAttributes().getReason();
            return "terminated in Temporal" + (reason.isEmpty() ? "" : ": " + reason);
        }
        if (event.hasWorkflowExecutionTimedOutEventAttributes()) {
            return "timed out: the sensor workflow reached its Temporal execution timeout";
        }
        if (event.hasWorkflowExecutionCanceledEventAttributes()) {
            return "cancelled";
        }
        return "";
    }

    private static Optional<Duration> retryDelay(PendingActivityInfo poke) {
        if (!poke.hasLastFailure() || !poke.getLastFailure().hasApplicationFailureInfo()) {
            return Optional.empty();
        }
        var info = poke.getLastFailure().getApplicationFailureInfo();
        return info.hasNextRetryDelay()
                ? Optional.of(Duration.ofSeconds(
                        info.getNextRetryDelay().getSeconds(),
                        info.getNextRetryDelay().getNanos()))
                : Optional.empty();
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
