package dev.sensorengine.sensors;

import java.util.Map;
import java.util.Objects;

/** What one poke found. */
public sealed interface PokeResult {

    /** The condition holds; {@code details} says what matched (shown to users, so no secrets). */
    record Ready(String message, Map<String, String> details) implements PokeResult {
        public Ready {
            Objects.requireNonNull(message, "message");
            details = Map.copyOf(details);
        }
    }

    /** The condition does not hold yet; {@code reason} says why, e.g. "/data/x does not exist". */
    record NotReady(String reason) implements PokeResult {
        public NotReady {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static PokeResult ready(String message, Map<String, String> details) {
        return new Ready(message, details);
    }

    static PokeResult notReady(String reason) {
        return new NotReady(reason);
    }
}
