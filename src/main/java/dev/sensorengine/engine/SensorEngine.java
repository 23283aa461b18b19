package dev.sensorengine.engine;

import com.google.protobuf.util.Durations;
import dev.sensorengine.sensors.EventTarget;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.workflow.SensorSpec;
import dev.sensorengine.workflow.SensorWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowServiceException;
import io.temporal.common.converter.DataConverter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SensorEngine: create, get, delete, logs and metrics of Flyte sensors, each a Temporal workflow.
 * It owns the workflow id and the {@code resource_meta} format and knows nothing of gRPC's server side.
 *
 * <p>Every operation is asynchronous: it returns at once with a stage that Temporal's answers complete, so no thread
 * waits on Temporal. A stage fails with an {@link EngineException} (wrapped as futures wrap failures), or with a
 * gRPC {@code StatusRuntimeException} the caller may pass on.
 */
public final class SensorEngine {

    private static final Logger log = LoggerFactory.getLogger(SensorEngine.class);
    /** A workflow outlives its sensor's deadline by this much before Temporal itself ends it. */
    private static final Duration EXECUTION_TIMEOUT_SLACK = Duration.ofHours(1);
    /** Memo values are for people in the Temporal UI and become search attributes, which Temporal caps at 2 KB. */
    private static final int MAX_MEMO_CHARS = 512;

    /** Holds a deletion mark's workflow back from ever running; it is terminated at once anyway. */
    private static final Duration DELETION_MARK_DELAY = Duration.ofMinutes(30);
    /** The reason a deletion mark's workflow was terminated with, which its status then shows. */
    static final String DELETED_BEFORE_FOUND = "deleted by DeleteTask before Temporal held the sensor";

    private final WorkflowClient client;
    private final EngineSettings settings;
    private final SpecBuilder specs;
    private final ResourceMetaCodec codec;
    private final TemporalCalls calls;
    private final TemporalReader reader;
    private final StatusLines lines;
    private final Clock clock;
    private final SensorRegistry sensors;
    private final TemporalOutage outage;
    private final TaskQueuePollers pollers;

    /** @param outage since when Temporal has not answered, shared with the readiness checks */
    public SensorEngine(
            WorkflowClient client,
            EngineSettings settings,
            SensorRegistry sensors,
            Clock clock,
            TemporalOutage outage) {
        this.sensors = sensors;
        this.outage = outage;
        this.client = client;
        this.settings = settings;
        this.specs = new SpecBuilder(settings, sensors);
        this.codec = new ResourceMetaCodec(settings.namespace(), settings.limits());
        this.calls = new TemporalCalls(client.getWorkflowServiceStubs(), settings.temporalCallTimeout());
        this.reader = new TemporalReader(calls, client.getOptions().getDataConverter(), settings.namespace());
        this.lines = new StatusLines(settings, clock);
        this.clock = clock;
        this.pollers = new TaskQueuePollers(reader::activityPollers, clock);
    }

    /**
     * Starts the sensor's workflow, or finds the one already started for this task execution attempt, and returns
     * its {@code resource_meta}: the same bytes for every call of one attempt.
     */
    public CompletionStage<byte[]> create(SensorTask task, CallBudget budget) {
        return Stages.of(() -> startOrAttach(task, spec -> WorkflowIds.of(task.execution(), spec), budget))
                .thenApply(codec::encode);
    }

    /**
     * The sensor's status, from Temporal's record of its workflow. A workflow that is gone before the sensor's deadline
     * is started again with that deadline (never after it, and never over the closed record of a sensor that ended or
     * was deleted). Also takes the {@code resource_meta} of flytekit's Python connector, adopting that sensor.
     *
     * <p>While Temporal has been unreachable for at most {@link EngineSettings#outageGrace}, the answer is RUNNING
     * with a message that says the state is unknown; past that, UNAVAILABLE.
     *
     * @param outputPrefix the call's {@code output_prefix}, which propeller makes per execution attempt; empty when
     *     the caller sends none
     */
    public CompletionStage<SensorStatus> get(byte[] resourceMeta, String outputPrefix, CallBudget budget) {
        return Stages.of(() -> {
            ReadMeta read = codec.read(resourceMeta);
            return resolve(read, outputPrefix, true, budget)
                    .thenCompose(meta -> snapshot(meta, budget)
                            .thenCompose(snapshot -> pollers.unpolledQueue(meta.spec(), snapshot, budget)
                                    .thenApply(queue -> lines.status(meta, snapshot, queue))))
                    .exceptionally(failure -> {
                        if (!(Stages.cause(failure) instanceof TemporalUnavailableException e)) {
                            throw Stages.rethrown(failure);
                        }
                        // Propeller fails a task for good after a few failed gets in its whole life: a short outage
                        // is told, not counted against the sensor, which Temporal keeps safe meanwhile.
                        Duration down = outage.downFor(clock.instant()).orElse(Duration.ZERO);
                        if (settings.outageGrace().isZero() || down.compareTo(settings.outageGrace()) > 0) {
                            throw e;
                        }
                        return lines.unreachable(read, outputPrefix, down);
                    });
        });
    }

    /**
     * Cancels the sensor. Succeeds for a sensor that has already ended or that Temporal does not know; for one it does
     * not know, a closed record under its workflow id keeps a later GetTask from starting it again.
     *
     * <p>A flytekit {@code resource_meta} names no execution and DeleteTask carries no {@code output_prefix}: the
     * sensors adopted from it by GetTask are per execution and left to end by themselves, since cancelling one could
     * abort another execution's; only the one adopted without a prefix is cancelled.
     */
    public CompletionStage<Void> delete(byte[] resourceMeta, CallBudget budget) {
        return Stages.of(() -> {
            ReadMeta read = codec.read(resourceMeta);
            String workflowId = read.workflowId("");
            RequestCancelWorkflowExecutionRequest request = RequestCancelWorkflowExecutionRequest.newBuilder()
                    .setNamespace(settings.namespace())
                    .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                    .setIdentity(client.getOptions().getIdentity())
                    .setRequestId(UUID.randomUUID().toString())
                    .build();
            return temporal(() -> calls.call(budget, stub -> stub.requestCancelWorkflowExecution(request))
                    .thenRun(() -> log.info("sensor cancel requested workflow_id={}", workflowId))
                    .exceptionallyCompose(failure -> {
                        if (!(Stages.cause(failure) instanceof StatusRuntimeException e)
                                || e.getStatus().getCode() != Status.Code.NOT_FOUND
                                || namespaceMissing(e)) {
                            return CompletableFuture.failedFuture(Stages.cause(failure));
                        }
                        if (read instanceof ReadMeta.Issued issued) {
                            return leaveDeletionMark(issued.meta(), budget);
                        }
                        log.debug(
                                "no sensor adopted without an execution for this flytekit meta workflow_id={}",
                                workflowId);
                        return CompletableFuture.completedFuture(null);
                    }));
        });
    }

    /** The sensor's log: how it was started, its latest poke, and how it ended; at most {@code maxLines}, the latest. */
    public CompletionStage<List<LogEntry>> logs(byte[] resourceMeta, int maxLines, CallBudget budget) {
        return Stages.of(() -> resolve(codec.read(resourceMeta), "", false, budget)
                .thenCompose(meta -> snapshot(meta, budget).thenApply(snapshot -> {
                    List<LogEntry> all = lines.log(meta, snapshot);
                    return maxLines > 0 && all.size() > maxLines ? all.subList(all.size() - maxLines, all.size()) : all;
                })));
    }

    /** The sensor's figures now. */
    public CompletionStage<SensorFigures> figures(byte[] resourceMeta, CallBudget budget) {
        return Stages.of(() -> resolve(codec.read(resourceMeta), "", false, budget)
                .thenCompose(meta -> snapshot(meta, budget)
                        .thenApply(snapshot ->
                                new SensorFigures(meta.spec().createdAt(), clock.instant(), snapshot.pokes()))));
    }

    /**
     * Our own resource_meta, or flytekit's, whose sensor is then found, or adopted when {@code adopt}: only GetTask
     * adopts, since only it names the execution; the others report on a sensor that GetTask adopted without one.
     */
    private CompletableFuture<ResourceMeta> resolve(
            ReadMeta read, String outputPrefix, boolean adopt, CallBudget budget) {
        if (read instanceof ReadMeta.Issued issued) {
            return CompletableFuture.completedFuture(issued.meta());
        }
        ReadMeta.Flytekit flytekit = (ReadMeta.Flytekit) read;
        String workflowId = flytekit.workflowId(outputPrefix);
        SensorTask task = flytekit.meta().task();
        return temporal(() -> reader.createdAt(workflowId, budget)).thenCompose(existing -> {
            if (existing.isPresent()) {
                return CompletableFuture.completedFuture(meta(workflowId, specs.build(task, existing.get())));
            }
            if (!adopt) {
                throw new InvalidRequestException("no sensor was adopted from this flytekit resource_meta without an "
                        + "execution: GetTask adopts one per execution (by its output_prefix), and its logs and "
                        + "figures are in the Temporal UI under workflow ids starting " + WorkflowIds.PREFIX
                        + "flytekit:");
            }
            return startOrAttach(task, spec -> workflowId, budget).thenApply(meta -> {
                log.info(
                        "sensor adopted from flytekit resource_meta workflow_id={} sensor={}",
                        meta.workflowId(),
                        meta.spec().qualifiedName());
                return meta;
            });
        });
    }

    /**
     * The one way a sensor comes to be: build its spec as of now, start its workflow unless one with its id exists,
     * and take the creation time Temporal holds, so every call for one sensor gets the same spec and deadline.
     */
    private CompletableFuture<ResourceMeta> startOrAttach(
            SensorTask task, Function<SensorSpec, String> workflowIdOf, CallBudget budget) {
        SensorSpec spec = specs.build(task, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        String workflowId = workflowIdOf.apply(spec);
        return temporal(() -> start(workflowId, spec, memo(task.execution(), spec), Duration.ZERO, budget))
                .thenCompose(started -> {
                    if (started) {
                        log.info(
                                "sensor created workflow_id={} sensor={} deadline={}",
                                workflowId,
                                spec.qualifiedName(),
                                spec.deadline());
                        return CompletableFuture.completedFuture(meta(workflowId, spec));
                    }
                    return temporal(() -> reader.createdAt(workflowId, budget)).thenApply(existing -> {
                        Instant createdAt = existing.orElse(spec.createdAt());
                        return meta(
                                workflowId, createdAt.equals(spec.createdAt()) ? spec : specs.build(task, createdAt));
                    });
                });
    }

    private ResourceMeta meta(String workflowId, SensorSpec spec) {
        return new ResourceMeta(ResourceMeta.VERSION, settings.namespace(), workflowId, spec);
    }

    private CompletableFuture<WorkflowSnapshot> snapshot(ResourceMeta meta, CallBudget budget) {
        return temporal(() -> reader.read(meta.workflowId(), budget).exceptionallyCompose(failure -> {
            if (!(Stages.cause(failure) instanceof StatusRuntimeException e)
                    || e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                return CompletableFuture.failedFuture(Stages.cause(failure));
            }
            if (!clock.instant().isBefore(meta.spec().deadline())) {
                // Past its deadline the sensor has ended one way or another and its record expired: starting it
                // again would poke a sensor nobody may wait for, or poke one that succeeded long ago.
                return CompletableFuture.completedFuture(WorkflowSnapshot.missing());
            }
            // Temporal lost the workflow (an in-memory server restarted, a cluster lost its data): adopt it
            // again from the spec propeller kept, with its original creation time and so its original deadline.
            log.warn(
                    "sensor workflow not found, re-adopting workflow_id={} created_at={}",
                    meta.workflowId(),
                    meta.spec().createdAt());
            return start(meta.workflowId(), meta.spec(), memo(null, meta.spec()), Duration.ZERO, budget)
                    .thenCompose(started -> reader.read(meta.workflowId(), budget));
        }));
    }

    /**
     * DeleteTask for a sensor Temporal does not hold: a workflow under its id, held back by a start delay so that it
     * never runs, then terminated. Its closed record is what the reuse policy ("reject duplicate") respects, so a
     * late GetTask finds a deleted sensor rather than starting it again.
     */
    private CompletableFuture<Void> leaveDeletionMark(ResourceMeta meta, CallBudget budget) {
        if (!clock.instant().isBefore(meta.spec().deadline())) {
            return CompletableFuture.completedFuture(null); // past the deadline nothing starts it again
        }
        return start(meta.workflowId(), meta.spec(), memo(null, meta.spec()), DELETION_MARK_DELAY, budget)
                .thenCompose(started -> {
                    if (!started) {
                        return CompletableFuture.completedFuture(null);
                    }
                    TerminateWorkflowExecutionRequest request = TerminateWorkflowExecutionRequest.newBuilder()
                            .setNamespace(settings.namespace())
                            .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(meta.workflowId()))
                            .setReason(DELETED_BEFORE_FOUND)
                            .setIdentity(client.getOptions().getIdentity())
                            .build();
                    return calls.call(budget, stub -> stub.terminateWorkflowExecution(request))
                            .thenRun(() -> log.info(
                                    "sensor deleted before Temporal held it; marked workflow_id={}",
                                    meta.workflowId()));
                });
    }

    /**
     * Starts the workflow unless one with this id exists (running: attach to it; ended: that is the sensor).
     *
     * @return true when this call started it, so its creation time is the spec's own
     */
    private CompletableFuture<Boolean> start(
            String workflowId, SensorSpec spec, Map<String, Object> memo, Duration startDelay, CallBudget budget) {
        Duration remaining = Duration.between(clock.instant(), spec.deadline());
        DataConverter converter = client.getOptions().getDataConverter();
        Payloads input = converter.toPayloads(spec).orElseThrow();
        // The spec is what Temporal stores and what every resource_meta carries: bounded before Temporal sees it.
        settings.limits()
                .checkSpecSize(
                        spec.qualifiedName(), input.getPayloads(0).getData().size());
        Memo.Builder memoPayloads = Memo.newBuilder();
        memo.forEach((key, value) ->
                memoPayloads.putFields(key, converter.toPayload(value).orElseThrow()));
        // The raw call, because its answer says whether a new run started: when it did, no describe is needed.
        StartWorkflowExecutionRequest request = StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(settings.namespace())
                .setWorkflowId(workflowId)
                .setWorkflowType(WorkflowType.newBuilder().setName(SensorWorkflow.TYPE))
                .setTaskQueue(TaskQueue.newBuilder().setName(settings.taskQueue()))
                .setInput(input)
                .setWorkflowExecutionTimeout(Durations.fromMillis((remaining.isNegative() ? Duration.ZERO : remaining)
                        .plus(EXECUTION_TIMEOUT_SLACK)
                        .toMillis()))
                .setIdentity(client.getOptions().getIdentity())
                .setRequestId(UUID.randomUUID().toString())
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setMemo(memoPayloads)
                .setWorkflowStartDelay(Durations.fromMillis(startDelay.toMillis()))
                // The summary and details that the sensor's page in the Temporal UI shows (its User Metadata tab).
                .setUserMetadata(UiMetadata.of(spec, memo, converter))
                .setSearchAttributes(
                        settings.searchAttributes()
                                ? SensorSearchAttributes.of(memo, converter)
                                : SearchAttributes.getDefaultInstance())
                .build();
        return calls.start(budget, stub -> stub.startWorkflowExecution(request)).handle((response, failure) -> {
            if (failure == null) {
                return response.getStarted();
            }
            if (!(Stages.cause(failure) instanceof StatusRuntimeException e)
                    || e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw Stages.rethrown(failure);
            }
            // Reuse policy "reject duplicate": this attempt's sensor already ran to its end. That is the sensor.
            log.debug("sensor already ended workflow_id={}", workflowId);
            return false;
        });
    }

    /**
     * What the Temporal UI shows of a sensor: when it was created, which sensor, what it waits for, for which run.
     * Values are for people and become search attributes, which Temporal caps at 2 KB: texts are shortened.
     */
    private Map<String, Object> memo(TaskExecution execution, SensorSpec spec) {
        Map<String, Object> memo = new LinkedHashMap<>();
        memo.put(TemporalReader.MEMO_CREATED_AT, spec.createdAt().toString());
        memo.put("sensor", shorten(spec.qualifiedName()));
        Optional<EventTarget> wakes = eventTarget(spec);
        // The event target's spelling when there is one: events look the sensor up by it (SensorTarget).
        wakes.map(EventTarget::target).or(() -> target(spec)).ifPresent(target -> memo.put("target", shorten(target)));
        wakes.ifPresent(target -> {
            memo.put(SensorSearchAttributes.MEMO_BUCKET, shorten(target.bucket()));
            memo.put(SensorSearchAttributes.MEMO_MATCH, shorten(target.match()));
        });
        if (execution != null && execution.isKnown()) {
            memo.put(
                    "flyte_execution",
                    shorten(execution.project() + "/" + execution.domain() + "/" + execution.executionName()));
            memo.put("flyte_node", shorten(execution.nodeId()));
            memo.put("flyte_retry_attempt", execution.retryAttempt());
        }
        return memo;
    }

    private static String shorten(String text) {
        if (text.length() <= MAX_MEMO_CHARS) {
            return text;
        }
        // Never between the two halves of a surrogate pair, which JSON cannot carry alone.
        int end = Character.isHighSurrogate(text.charAt(MAX_MEMO_CHARS - 1)) ? MAX_MEMO_CHARS - 1 : MAX_MEMO_CHARS;
        return text.substring(0, end) + "\u2026";
    }

    private Optional<String> target(SensorSpec spec) {
        try {
            return sensors.find(spec.sensorModule(), spec.sensorName())
                    .map(sensor -> sensor.target(new PokeRequest(spec.inputs(), spec.config())));
        } catch (RuntimeException e) {
            // A task with bad inputs still gets its workflow, which then fails with the reason.
            return Optional.empty();
        }
    }

    /** What events may wake the sensor ({@link EventWaker}); empty for a sensor only polled. */
    private Optional<EventTarget> eventTarget(SensorSpec spec) {
        try {
            return sensors.find(spec.sensorModule(), spec.sensorName())
                    .flatMap(sensor -> sensor.eventTarget(new PokeRequest(spec.inputs(), spec.config())));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs Temporal calls: a failure that may pass becomes {@link TemporalUnavailableException}, any other keeps its
     * kind ({@link TemporalRefusedException}); whether Temporal answered at all is noted for {@link TemporalOutage}.
     */
    private <T> CompletableFuture<T> temporal(Supplier<CompletableFuture<T>> calls) {
        return Stages.of(calls).handle((result, failure) -> {
            if (failure == null) {
                outage.reachable();
                return result;
            }
            throw translated(Stages.cause(failure));
        });
    }

    private RuntimeException translated(Throwable failure) {
        if (failure instanceof StatusRuntimeException e) {
            return noted(TemporalFailures.of(e, settings.namespace()));
        }
        if (failure instanceof WorkflowServiceException e) {
            if (e.getCause() instanceof StatusRuntimeException status) {
                return noted(TemporalFailures.of(status, settings.namespace()));
            }
            return noted(new TemporalUnavailableException("Temporal refused the call: " + e.getMessage(), e));
        }
        if (failure instanceof TemporalUnavailableException e) {
            return noted(e);
        }
        return Stages.rethrown(failure);
    }

    private EngineException noted(EngineException failure) {
        if (failure instanceof TemporalUnavailableException) {
            outage.unreachable(clock.instant());
        } else {
            outage.reachable(); // it answered, if only to refuse
        }
        return failure;
    }

    private static boolean namespaceMissing(StatusRuntimeException e) {
        return TemporalFailures.of(e, "") instanceof TemporalRefusedException;
    }
}
