package dev.sensorengine.workflow.poke;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** What one attempt of the poke activity found, before it becomes the activity's result or failure. */
public sealed interface PokeOutcome {

    /** The condition holds. */
    record Ready(String message, Map<String, String> details) implements PokeOutcome {
        public Ready {
            Objects.requireNonNull(message, "message");
            details = Map.copyOf(details);
        }
    }

    /** The condition does not hold yet. */
    record NotReady(String reason) implements PokeOutcome {
        public NotReady {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The poke itself failed (network, 5xx, throttling, a poke that overran its time limit).
     *
     * @param errorType the exception's simple class name
     * @param errorMessage its message; empty or null for none
     */
    record Failed(String errorType, String errorMessage) implements PokeOutcome {
        public Failed {
            Objects.requireNonNull(errorType, "errorType");
        }
    }

    /** The task is wrong; the message says what to fix. */
    record Misconfigured(String message) implements PokeOutcome {
        public Misconfigured {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The poke was not made: its target's rate limit has no room for it until {@code delay} from now. */
    record Deferred(String reason, Duration delay) implements PokeOutcome {
        public Deferred {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(delay, "delay");
        }
    }
}
