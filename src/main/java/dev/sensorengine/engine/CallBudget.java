package dev.sensorengine.engine;

import java.time.Duration;

/**
 * The time one API call may spend on Temporal. Every Temporal call it makes draws its deadline from it, so that the
 * call answers, with UNAVAILABLE if it must, before its caller's own deadline rather than at it.
 */
public final class CallBudget {

    private final Duration total;
    private final long endsAtNanos;

    private CallBudget(Duration total) {
        this.total = total;
        this.endsAtNanos = System.nanoTime() + total.toNanos();
    }

    /** A budget of {@code total} from now. */
    public static CallBudget of(Duration total) {
        return new CallBudget(total.isNegative() ? Duration.ZERO : total);
    }

    /**
     * The deadline of the next Temporal call, in milliseconds: what is left, but at most {@code cap}.
     *
     * @throws TemporalUnavailableException when nothing is left
     */
    long nextCallMillis(Duration cap) {
        long leftMillis = (endsAtNanos - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0) {
            throw new TemporalUnavailableException(
                    "Temporal did not answer within this call's " + total.toMillis() + " ms (the caller's deadline, "
                            + "less the time to answer); the call may be retried",
                    null);
        }
        return Math.min(leftMillis, cap.toMillis());
    }
}
