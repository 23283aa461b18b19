package dev.sensorengine.workflow;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/** The answer of the {@code state} query, for operators in the Temporal UI and CLI. */
public record SensorState(String sensor, Status status, Instant createdAt, Instant deadline, String message) {

    /** Where a sensor stands. */
    public enum Status {
        POKING,
        SUCCEEDED,
        FAILED,
        TIMED_OUT,
        CANCELLED;

        /** The form of log lines and of the query's JSON: {@code poking}, {@code timed out}. */
        @JsonValue
        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }

        /** The form of metric tags: {@code timed_out}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
