package dev.sensorengine.workflow.poke;

import dev.sensorengine.workflow.FailureTypes;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.PokeSchedule;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * How one attempt of the poke activity ends, decided from what the poke found: the pure part of the poke activity's
 * contract (contract/poke-activity.md), which the shared vectors test in both languages. The activity only carries it
 * out: it heartbeats {@link #heartbeat} when there is one, then returns or throws {@link #failure}.
 *
 * @param result the outcome's name, also the {@code result} label of {@code sensor_pokes_total}: {@code ready},
 *     {@code not_ready}, {@code error}, {@code configuration_error} or {@code deferred}
 * @param message the failure's message (the sensor's message when ready)
 * @param failureType the {@code ApplicationFailure} type; empty when the activity returns
 * @param nextDelay the failure's next retry delay; empty when ready or not retried
 * @param heartbeat the streak to record before finishing; empty when it did not change, so that a sensor that is simply
 *     waiting costs one call to Temporal per poke (its failure), not two
 */
public record PokeDecision(
        String result,
        String message,
        Optional<String> failureType,
        boolean nonRetryable,
        Optional<Duration> nextDelay,
        Optional<ErrorStreak> heartbeat) {

    private static final Duration ONE_MILLI = Duration.ofMillis(1);

    /**
     * @param attempt the activity's attempt number, from 1
     * @param streak the streak read from the last heartbeat's details
     * @param random a number in [0, 1) choosing the jitter
     * @param timeLeft from now to the sensor's deadline: no delay reaches past it ({@link PokeSchedule#beforeDeadline})
     */
    public static PokeDecision of(
            PokePolicy policy, int attempt, ErrorStreak streak, PokeOutcome outcome, double random, Duration timeLeft) {
        PokeSchedule schedule = new PokeSchedule(policy);
        if (outcome instanceof PokeOutcome.Ready ready) {
            return new PokeDecision(
                    "ready", ready.message(), Optional.empty(), false, Optional.empty(), Optional.empty());
        }
        if (outcome instanceof PokeOutcome.NotReady notReady) {
            ErrorStreak after = streak.afterNotReady();
            // Errors take attempts too: the exponential backoff counts only the pokes that found the condition false,
            // so a flaky target does not stretch the wait for a healthy one. Attempts lost to a timeout, a dead worker
            // or a rate limit are no errors, and count here as not-ready.
            int index = Math.max(1, attempt - after.errorsTotal());
            return retried(
                    "not_ready",
                    notReady.reason(),
                    FailureTypes.NOT_READY,
                    schedule.afterNotReady(index, random),
                    timeLeft,
                    after.equals(streak) ? Optional.empty() : Optional.of(after));
        }
        if (outcome instanceof PokeOutcome.Failed failed) {
            ErrorStreak after = streak.afterError();
            String detail =
                    failed.errorMessage() == null || failed.errorMessage().isEmpty()
                            ? ""
                            : ": " + failed.errorMessage();
            return retried(
                    "error",
                    "poke error (" + after.errorsInRow() + " in a row): " + failed.errorType() + detail,
                    FailureTypes.POKE_ERROR,
                    schedule.afterError(after.errorsInRow(), random),
                    timeLeft,
                    Optional.of(after));
        }
        if (outcome instanceof PokeOutcome.Deferred deferred) {
            Duration wait = deferred.delay().compareTo(ONE_MILLI) < 0 ? ONE_MILLI : deferred.delay();
            return retried("deferred", deferred.reason(), FailureTypes.POKE_DEFERRED, wait, timeLeft, Optional.empty());
        }
        PokeOutcome.Misconfigured misconfigured = (PokeOutcome.Misconfigured) outcome;
        return new PokeDecision(
                "configuration_error",
                misconfigured.message(),
                Optional.of(FailureTypes.CONFIGURATION),
                true,
                Optional.empty(),
                Optional.empty());
    }

    private static PokeDecision retried(
            String result,
            String message,
            String type,
            Duration delay,
            Duration timeLeft,
            Optional<ErrorStreak> heartbeat) {
        return new PokeDecision(
                result,
                message,
                Optional.of(type),
                false,
                Optional.of(PokeSchedule.beforeDeadline(delay, timeLeft)),
                heartbeat);
    }

    /** The activity's failure; only for decisions that are not {@code ready}. */
    public ApplicationFailure failure() {
        String type = failureType.orElseThrow(() -> new IllegalStateException("a ready poke does not fail"));
        if (nonRetryable) {
            return ApplicationFailure.newNonRetryableFailure(message, type);
        }
        return ApplicationFailure.newFailureWithCauseAndDelay(message, type, null, nextDelay.orElseThrow());
    }
}
