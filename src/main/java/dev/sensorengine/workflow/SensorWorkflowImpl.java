package dev.sensorengine.workflow;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Runs the poke activity against a timer that ends at the sensor's deadline. The activity's server-side retries are
 * the poll loop; the timer makes the timeout exact.
 *
 * <p>The real Temporal server stops retrying an activity once {@code now + next delay} passes its schedule-to-close
 * and fails it with retry state TIMEOUT. The poke activity never asks for a delay past the deadline
 * ({@link PokeSchedule#beforeDeadline}), and the activity outlives the deadline by the longest delay the server may
 * pick itself (the maximum interval) and a minute more, so that before the deadline it happens only when the workflow
 * run's own timeout caps the activity's. A TIMEOUT at or after the deadline means "timed out"; one before it schedules
 * the poke again for the time left. Neither is ever "cannot run".
 */
public final class SensorWorkflowImpl implements SensorWorkflow {

    /** Bound on one poke; a poke that hangs longer is retried. */
    static final Duration POKE_TIMEOUT = Duration.ofMinutes(1);
    /**
     * The activity outlives the deadline by its maximum interval and this much, so the timer, not the activity, reports
     * the timeout.
     */
    private static final Duration DEADLINE_SLACK = Duration.ofMinutes(1);
    /**
     * The change that schedules the poke again when the server gave up retrying before the deadline; builds before it
     * failed the sensor there, and replaying their histories must do the same ({@link Workflow#getVersion}).
     */
    static final String POKE_AGAIN_BEFORE_DEADLINE = "poke-again-before-deadline";

    /**
     * The change that acts on {@code wake} signals: a run recorded before it ignores them on replay, since its history
     * has no wake pokes.
     */
    static final String WAKE_ON_EVENTS = "wake-on-events";
    /**
     * A run with more history events than this continues as new at its next wake: each wake adds about ten events,
     * while Temporal warns at 10,240 and stops a run at 51,200 events and 10,000 signals.
     */
    static final int MAX_HISTORY_EVENTS = 2_000;
    /** How long a wake poke may wait for its target's rate limit before the wake is given up (the poll remains). */
    static final Duration WAKE_POKE_WINDOW = Duration.ofMinutes(10);

    private static final Logger log = Workflow.getLogger(SensorWorkflowImpl.class);

    private final SensorNames names;
    private SensorState state;
    /** The sensor as its metrics name it: bounded by the registry's names. */
    private String metricLabel = SensorNames.OTHER;
    /** What earlier runs carried on. */
    private SensorCarry carried = SensorCarry.NONE;
    /** Wake signals received by this run. */
    private long wakes;
    /** Wake pokes this run made. */
    private long wakePokes;
    /** The latest wake not yet acted on (of those received, the one whose event came last); null for none. */
    private WakeSignal pendingWake;
    /** When the latest wake poke was scheduled: an event received before then is answered by it. */
    private Instant lastWakePoke;
    /** What the latest wake did, for the sensor's log. */
    private String lastWake = "";

    /** @param names the registered sensor names, which alone label metrics */
    public SensorWorkflowImpl(SensorNames names) {
        this.names = names;
    }

    /** For workers that register the type: every sensor's metrics are labelled {@link SensorNames#OTHER}. */
    public SensorWorkflowImpl() {
        this(new SensorNames(Set.of()));
    }

    @Override
    public SensorResult run(SensorSpec spec, SensorCarry carry) {
        Instant deadline = spec.deadline();
        metricLabel = names.label(spec);
        state = new SensorState(spec.qualifiedName(), SensorState.Status.POKING, spec.createdAt(), deadline, "");
        if (carry != null) {
            carried = carry;
            lastWakePoke = carry.lastWakePoke();
            lastWake = carry.lastWake();
            if (carry.pendingWake() != null) {
                pendingWake = newer(pendingWake, carry.pendingWake());
            }
            log.info(
                    "sensor continued as new workflow_id={} sensor={} deadline={} pokes={} wakes={}",
                    Workflow.getInfo().getWorkflowId(),
                    spec.qualifiedName(),
                    deadline,
                    carry.pokes(),
                    carry.wakes());
            recordProgress();
        } else {
            log.info(
                    "sensor started workflow_id={} sensor={} deadline={}",
                    Workflow.getInfo().getWorkflowId(),
                    spec.qualifiedName(),
                    deadline);
        }
        Duration remaining = Duration.between(now(), deadline);
        if (remaining.isNegative() || remaining.isZero()) {
            throw timedOut(spec);
        }
        if (spec.wakeAt() != null) {
            return sleepUntil(spec, remaining);
        }
        SensorResult result = pokeUntilReady(spec, remaining);
        ended(SensorState.Status.SUCCEEDED, result.message());
        return result;
    }

    /**
     * The poll loop: one activity whose retries are the pokes, against the deadline timer; and a wake poke for each
     * wake that no earlier wake poke answers.
     */
    private SensorResult pokeUntilReady(SensorSpec spec, Duration remaining) {
        // The activity first, then the timer: the order of the commands that every sensor's history starts with.
        Promise<SensorResult> poke = schedulePoke(spec, remaining);
        Promise<Void> timer = Workflow.newTimer(remaining);
        while (true) {
            try {
                Promise<SensorResult> current = poke;
                // Waiting adds no command, so a run that is never woken writes the history it always wrote.
                Workflow.await(() -> current.isCompleted() || timer.isCompleted() || pendingWake != null);
                if (poke.isCompleted()) {
                    SensorResult result = poke.get();
                    return new SensorResult(
                            result.message(),
                            result.details(),
                            result.readyAt(),
                            Math.toIntExact(result.pokes() + carried.pokes() + wakePokes));
                }
                if (timer.isCompleted()) {
                    timer.get(); // a cancelled sensor's timer throws CanceledFailure
                    throw timedOut(spec);
                }
                SensorResult woken = onWake(spec, poke, timer);
                if (woken != null) {
                    return woken;
                }
                if (!poke.isCompleted() && !timer.isCompleted()) {
                    // Never over an answer not yet acted on: the loop takes the poke's outcome or the deadline first.
                    continueAsNewIfLong(spec);
                }
            } catch (ActivityFailure e) {
                if (e.getCause() instanceof CanceledFailure canceled) {
                    throw cancelled(canceled);
                }
                if (!serverGaveUpRetrying(e)) {
                    throw failed(spec, e);
                }
                Duration left = Duration.between(now(), spec.deadline());
                if (left.isNegative() || left.isZero()) {
                    throw timedOut(spec);
                }
                if (Workflow.getVersion(POKE_AGAIN_BEFORE_DEADLINE, Workflow.DEFAULT_VERSION, 1)
                        == Workflow.DEFAULT_VERSION) {
                    throw failed(spec, e);
                }
                log.info(
                        "sensor poke given up by the server before the deadline, poking again workflow_id={} "
                                + "sensor={} time_left={}: {}",
                        Workflow.getInfo().getWorkflowId(),
                        spec.qualifiedName(),
                        left,
                        reason(e));
                poke = schedulePoke(spec, left);
            } catch (CanceledFailure e) {
                throw cancelled(e);
            }
        }
    }

    @Override
    public void wake(WakeSignal signal) {
        wakes++;
        pendingWake = newer(pendingWake, signal);
    }

    private static WakeSignal newer(WakeSignal a, WakeSignal b) {
        return a == null || b.receivedAt().isAfter(a.receivedAt()) ? b : a;
    }

    /**
     * Acts on the pending wake: one poke now, unless the latest wake poke was scheduled after the event (it answered
     * it already). Returns the sensor's result when that poke found the condition true, else null: the long poke
     * activity carries on with its own schedule. A poke that errs or is refused changes nothing either.
     */
    private SensorResult onWake(SensorSpec spec, Promise<SensorResult> poke, Promise<Void> timer) {
        WakeSignal wake = pendingWake;
        pendingWake = null;
        if (Workflow.getVersion(WAKE_ON_EVENTS, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
            return null; // a history from before wakes: its run never poked for one
        }
        String workflowId = Workflow.getInfo().getWorkflowId();
        if (lastWakePoke != null && wake.receivedAt().isBefore(lastWakePoke)) {
            log.info(
                    "sensor wake coalesced workflow_id={} {}: the wake poke at {} came after it",
                    workflowId,
                    wake.describe(),
                    lastWakePoke);
            recordProgress(); // the wake count
            return null;
        }
        Duration left = Duration.between(now(), spec.deadline());
        if (left.isNegative() || left.isZero()) {
            return null; // the deadline timer is about to end the sensor
        }
        lastWakePoke = now();
        log.info("sensor woken workflow_id={} by {}, poking now", workflowId, wake.describe());
        Promise<SensorResult> wakePoke = poke(spec, wakePokeOptions(spec.policy(), left, wake));
        Workflow.await(() -> wakePoke.isCompleted() || poke.isCompleted() || timer.isCompleted());
        if (!wakePoke.isCompleted()) {
            lastWake = "woken by " + wake.describe() + " at " + lastWakePoke;
            return null; // the long poke or the deadline ended first; the caller acts on it
        }
        wakePokes++;
        try {
            SensorResult ready = wakePoke.get();
            long pokes = carried.pokes() + wakePokes + pendingPokes();
            lastWake = "woken by " + wake.describe() + " at " + lastWakePoke + ": ready";
            recordProgress();
            return new SensorResult(ready.message(), ready.details(), ready.readyAt(), Math.toIntExact(pokes));
        } catch (ActivityFailure e) {
            if (e.getCause() instanceof CanceledFailure canceled) {
                throw cancelled(canceled);
            }
            lastWake = "woken by " + wake.describe() + " at " + lastWakePoke + ": " + reason(e);
            log.info("sensor wake poke not ready workflow_id={} {}: {}", workflowId, wake.describe(), reason(e));
            recordProgress();
            return null;
        }
    }

    /**
     * A single poke: not ready, an error or a configuration error end it at once (the long poke activity deals with
     * those on its schedule); a poke deferred by its target's rate limit is made at its reserved turn, within {@link
     * #WAKE_POKE_WINDOW}.
     */
    private static ActivityOptions wakePokeOptions(PokePolicy policy, Duration remaining, WakeSignal wake) {
        String summary = "wake: " + wake.describe();
        return ActivityOptions.newBuilder()
                // Shown in the Temporal UI beside the poke: which event asked for it.
                .setSummary(summary.length() > 200 ? summary.substring(0, 199) + "\u2026" : summary)
                .setScheduleToCloseTimeout(min(WAKE_POKE_WINDOW, remaining))
                .setStartToCloseTimeout(POKE_TIMEOUT)
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(min(policy.interval(), Duration.ofSeconds(1)))
                        .setBackoffCoefficient(1.0)
                        .setMaximumAttempts(0)
                        .setDoNotRetry(FailureTypes.NOT_READY, FailureTypes.POKE_ERROR, FailureTypes.CONFIGURATION)
                        .build())
                .build();
    }

    /** The pokes the long poke activity has made, from Temporal (a local activity); 0 when it cannot be told. */
    private long pendingPokes() {
        PokeCount count = Workflow.newLocalActivityStub(
                PokeCount.class,
                LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(5))
                        .setScheduleToCloseTimeout(Duration.ofSeconds(20))
                        .setRetryOptions(
                                RetryOptions.newBuilder().setMaximumAttempts(3).build())
                        .build());
        try {
            return count.pendingPokes(
                    Workflow.getInfo().getWorkflowId(), Workflow.getInfo().getRunId());
        } catch (ActivityFailure e) {
            log.warn(
                    "sensor poke count unknown workflow_id={}: {}",
                    Workflow.getInfo().getWorkflowId(),
                    reason(e));
            return 0;
        }
    }

    /**
     * Continues as new once wakes have made the history long, carrying the pokes (the pending poke's too), the wakes
     * and a wake not yet acted on. The new run schedules its poke at once: after a burst of wakes that costs one poke.
     */
    private void continueAsNewIfLong(SensorSpec spec) {
        if (Workflow.getInfo().getHistoryLength() < MAX_HISTORY_EVENTS
                && !Workflow.getInfo().isContinueAsNewSuggested()) {
            return;
        }
        long pokes = carried.pokes() + wakePokes + pendingPokes();
        SensorCarry carry = new SensorCarry(pokes, carried.wakes() + wakes, lastWakePoke, pendingWake, lastWake);
        log.info(
                "sensor continuing as new workflow_id={} history_events={} pokes={} wakes={}",
                Workflow.getInfo().getWorkflowId(),
                Workflow.getInfo().getHistoryLength(),
                carry.pokes(),
                carry.wakes());
        Workflow.continueAsNew(spec, carry);
    }

    /**
     * What the engine reads with describe: the pokes its pending poke's attempts do not count (earlier runs', wake
     * pokes), the wakes, and the latest wake's outcome. One memo update per wake poke, and one per run carried on.
     */
    private void recordProgress() {
        Map<String, Object> memo = new LinkedHashMap<>();
        memo.put(MEMO_POKES_CARRIED, carried.pokes() + wakePokes);
        memo.put(MEMO_WAKES, carried.wakes() + wakes);
        memo.put(MEMO_LAST_WAKE, lastWake);
        Workflow.upsertMemo(memo);
    }

    private static Promise<SensorResult> schedulePoke(SensorSpec spec, Duration remaining) {
        return poke(spec, activityOptions(spec.policy(), remaining));
    }

    /** One poke activity, on the queue of whoever pokes the sensor. */
    private static Promise<SensorResult> poke(SensorSpec spec, ActivityOptions options) {
        if (spec.pokeTaskQueue() != null) {
            // A sensor only Python knows: its pokes go to the Python worker's queue. Specs without one (Java sensors,
            // and every history recorded before) schedule on the workflow's own queue, the same command as before.
            options = ActivityOptions.newBuilder(options)
                    .setTaskQueue(spec.pokeTaskQueue())
                    .build();
        }
        PokeActivity activity = Workflow.newActivityStub(PokeActivity.class, options);
        return Async.function(activity::poke, spec);
    }

    /**
     * Whether the server stopped retrying for time, not because the poke failed for good: retry state TIMEOUT (the
     * next attempt would come after the schedule-to-close) or a timeout failure (the schedule-to-close passed).
     */
    private static boolean serverGaveUpRetrying(ActivityFailure e) {
        return e.getRetryState() == RetryState.RETRY_STATE_TIMEOUT || e.getCause() instanceof TimeoutFailure;
    }

    /** A timer sensor: one durable timer, no pokes. */
    private SensorResult sleepUntil(SensorSpec spec, Duration remaining) {
        Duration wait = Duration.between(now(), spec.wakeAt());
        state = withStatus(SensorState.Status.POKING, "waiting until " + spec.wakeAt());
        try {
            Workflow.sleep(wait.compareTo(remaining) > 0 ? remaining : wait.isNegative() ? Duration.ZERO : wait);
        } catch (CanceledFailure e) {
            throw cancelled(e);
        }
        if (now().isBefore(spec.wakeAt())) {
            throw timedOut(spec);
        }
        String message = "reached " + spec.wakeAt();
        ended(SensorState.Status.SUCCEEDED, message);
        return new SensorResult(message, Map.of("wake_at", spec.wakeAt().toString()), now(), 0);
    }

    @Override
    public SensorState state() {
        return state;
    }

    /**
     * @param remaining the time left to the deadline
     */
    private static ActivityOptions activityOptions(PokePolicy policy, Duration remaining) {
        // The retry policy applies only to failures that carry no delay of their own: a poke that timed out, a worker
        // that died. Such a lost poke is made again after one interval, at most the time left. The coefficient is 1
        // because the server's backoff counts every attempt before it (temporal.NextRetryDelayTest): with doubling, a
        // sensor that had poked for a while would wait its whole maximum interval after losing one poke. The maximum
        // does not bound the delays pokes ask for on server 1.32; it is kept at or above them (the smaller of the
        // maximum interval and the time left) should a server ever cut them to it.
        Duration maxInterval = min(policy.maxInterval(), remaining);
        return ActivityOptions.newBuilder()
                .setScheduleToCloseTimeout(remaining.plus(policy.maxInterval()).plus(DEADLINE_SLACK))
                .setStartToCloseTimeout(POKE_TIMEOUT)
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(min(policy.interval(), maxInterval))
                        .setBackoffCoefficient(1.0)
                        .setMaximumInterval(maxInterval)
                        .setMaximumAttempts(0)
                        .setDoNotRetry(FailureTypes.CONFIGURATION)
                        .build())
                .build();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private RuntimeException failed(SensorSpec spec, ActivityFailure e) {
        String reason = reason(e);
        ended(SensorState.Status.FAILED, reason);
        return ApplicationFailure.newNonRetryableFailure(
                spec.qualifiedName() + " cannot run: " + reason, FailureTypes.CONFIGURATION);
    }

    private static String reason(ActivityFailure e) {
        return e.getCause() instanceof ApplicationFailure app ? app.getOriginalMessage() : e.getMessage();
    }

    private RuntimeException timedOut(SensorSpec spec) {
        String message = "timed out: the condition did not hold within "
                + spec.policy().timeout() + " of the sensor's creation at " + spec.createdAt();
        ended(SensorState.Status.TIMED_OUT, message);
        return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.TIMEOUT);
    }

    private RuntimeException cancelled(CanceledFailure e) {
        ended(SensorState.Status.CANCELLED, "cancelled");
        return e;
    }

    /**
     * The sensor's end: one log line with the workflow id and one count in {@code sensor_finished_total}. Both are
     * replay-safe (Temporal drops them while a worker replays history), so each end is reported once.
     */
    private void ended(SensorState.Status status, String message) {
        state = withStatus(status, message);
        log.info(
                "sensor {} workflow_id={} sensor={}: {}",
                status.text(),
                Workflow.getInfo().getWorkflowId(),
                state.sensor(),
                message);
        Workflow.getMetricsScope()
                .tagged(Map.of("sensor", metricLabel, "phase", status.tag()))
                .counter("sensor_finished")
                .inc(1);
    }

    private SensorState withStatus(SensorState.Status status, String message) {
        return new SensorState(state.sensor(), status, state.createdAt(), state.deadline(), message);
    }

    private static Instant now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }
}
