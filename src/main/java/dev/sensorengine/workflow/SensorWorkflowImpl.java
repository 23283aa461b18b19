package dev.sensorengine.workflow;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Runs the poke activity against a timer that ends at the sensor's deadline. The activity's server-side
 * retries are the poll loop; the timer makes the timeout exact (the server's own retry bound would give up
 * at the last attempt that fits, which can be a whole interval early).
 */
public final class SensorWorkflowImpl implements SensorWorkflow {

    /** Bound on one poke; a poke that hangs longer is retried. */
    static final Duration POKE_TIMEOUT = Duration.ofMinutes(1);
    /** The activity outlives the deadline by this much, so the timer, not the activity, reports the timeout. */
    private static final Duration DEADLINE_SLACK = Duration.ofMinutes(1);

    private static final Logger log = Workflow.getLogger(SensorWorkflowImpl.class);

    private SensorState state;

    @Override
    public SensorResult run(SensorSpec spec) {
        Instant deadline = spec.deadline();
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
        PokeActivity activity = Workflow.newActivityStub(PokeActivity.class, activityOptions(spec.policy(), remaining));
        Promise<SensorResult> poke = Async.function(activity::poke, spec);
        Promise<Void> timer = Workflow.newTimer(remaining);
        try {
            Promise.anyOf(poke, timer).get();
        } catch (ActivityFailure e) {
            throw failed(spec, e);
        } catch (CanceledFailure e) {
            throw cancelled(e);
        }
        if (!poke.isCompleted()) {
            throw timedOut(spec);
        }
        SensorResult result;
        try {
            result = poke.get();
        } catch (ActivityFailure e) {
            throw failed(spec, e);
        }
        ended(SensorState.Status.SUCCEEDED, result.message());
        return result;
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

    private static ActivityOptions activityOptions(PokePolicy policy, Duration remaining) {
        return ActivityOptions.newBuilder()
                .setScheduleToCloseTimeout(remaining.plus(DEADLINE_SLACK))
                .setStartToCloseTimeout(POKE_TIMEOUT)
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                // Used only for failures the activity does not time itself (a poke that timed out or a worker
                // that died); not-ready and poke errors carry their own next delay. No growth: the server grows the
                // interval by the attempt number, which counts every not-ready poke, so a sensor on its 9th poke
                // whose worker died waited 2^8 intervals (found on the real server by DurabilityIT).
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(policy.interval())
                        .setBackoffCoefficient(1.0)
                        .setMaximumInterval(policy.maxInterval())
                        .setMaximumAttempts(0)
                        .setDoNotRetry(FailureTypes.CONFIGURATION)
                        .build())
                .build();
    }

    private RuntimeException failed(SensorSpec spec, ActivityFailure e) {
        if (e.getCause() instanceof CanceledFailure canceled) {
            return cancelled(canceled);
        }
        String reason = e.getCause() instanceof ApplicationFailure app ? app.getOriginalMessage() : e.getMessage();
        ended(SensorState.Status.FAILED, reason);
        return ApplicationFailure.newNonRetryableFailure(
                spec.qualifiedName() + " cannot run: " + reason, FailureTypes.CONFIGURATION);
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
                .tagged(Map.of("sensor", state.sensor(), "phase", status.tag()))
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
