package dev.sensorengine.workflow;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
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

    private static final Logger log = Workflow.getLogger(SensorWorkflowImpl.class);

    private final SensorNames names;
    private SensorState state;
    /** The sensor as its metrics name it: bounded by the registry's names. */
    private String metricLabel = SensorNames.OTHER;

    /** @param names the registered sensor names, which alone label metrics */
    public SensorWorkflowImpl(SensorNames names) {
        this.names = names;
    }

    /** For workers that register the type: every sensor's metrics are labelled {@link SensorNames#OTHER}. */
    public SensorWorkflowImpl() {
        this(new SensorNames(Set.of()));
    }

    @Override
    public SensorResult run(SensorSpec spec) {
        Instant deadline = spec.deadline();
        metricLabel = names.label(spec);
        state = new SensorState(spec.qualifiedName(), SensorState.Status.POKING, spec.createdAt(), deadline, "");
        log.info(
                "sensor started workflow_id={} sensor={} deadline={}",
                Workflow.getInfo().getWorkflowId(),
                spec.qualifiedName(),
                deadline);
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

    /** The poll loop: one activity whose retries are the pokes, against the deadline timer. */
    private SensorResult pokeUntilReady(SensorSpec spec, Duration remaining) {
        // The activity first, then the timer: the order of the commands that every sensor's history starts with.
        Promise<SensorResult> poke = schedulePoke(spec, remaining);
        Promise<Void> timer = Workflow.newTimer(remaining);
        while (true) {
            try {
                Promise.anyOf(poke, timer).get();
                if (!poke.isCompleted()) {
                    throw timedOut(spec);
                }
                return poke.get();
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

    private static Promise<SensorResult> schedulePoke(SensorSpec spec, Duration remaining) {
        ActivityOptions options = activityOptions(spec.policy(), remaining);
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
