package dev.sensorengine.workflow;

import java.time.Instant;

/** The answer of the {@code state} query, for operators in the Temporal UI and CLI. */
public record SensorState(String sensor, String status, Instant createdAt, Instant deadline, String message) {

    /** Status values. */
    public static final String POKING = "poking";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String TIMED_OUT = "timed out";
    public static final String CANCELLED = "cancelled";
}
