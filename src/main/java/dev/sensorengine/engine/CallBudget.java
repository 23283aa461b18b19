package dev.sensorengine.engine;

import io.grpc.Context;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The time one API call may spend on Temporal. Every Temporal call it makes draws its deadline from it, so that the
 * call answers, with UNAVAILABLE if it must, before its caller's own deadline rather than at it. It also carries the
 * caller's gRPC context, taken where the budget is made, so that Temporal calls made later on other threads still end
 * when the caller gives up.
 */
public final class CallBudget {

    private final Duration total;
    private final long endsAtNanos;
    private final Context caller;

    private CallBudget(Duration total) {
        this.total = total;
        this.endsAtNanos = System.nanoTime() + total.toNanos();
        this.caller = Context.current();
    }

    /** A budget of {@code total} from now, for the call whose context is current. */
    public static CallBudget of(Duration total) {
        return new CallBudget(total.isNegative() ? Duration.ZERO : total);
    }

    /**
     * The deadline of the next Temporal call, in milliseconds: what is left, but at most {@code cap}.
     *
     * @throws TemporalUnavailableException when nothing is left
     */
    long nextCallMillis(Duration cap) {
        return Math.min(nextCallMillis(), cap.toMillis());
    }

    /**
     * The deadline of the next Temporal call, in milliseconds: all that is left.
     *
     * @throws TemporalUnavailableException when nothing is left
     */
    long nextCallMillis() {
        long leftMillis = (endsAtNanos - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0) {
            throw new TemporalUnavailableException(
                    "Temporal did not answer within this call's " + total.toMillis() + " ms (the caller's deadline, "
                            + "less the time to answer); the call may be retried",
                    null);
        }
        return leftMillis;
    }

    /**
     * Starts a Temporal call in the caller's context, from whichever thread: a call started in it is cancelled when
     * the caller cancels or its deadline passes.
     */
    <T> T inCallersContext(Supplier<T> start) {
        Context previous = caller.attach();
        try {
            return start.get();
        } finally {
            caller.detach(previous);
        }
    }
}
