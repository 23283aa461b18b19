package dev.sensorengine.workflow;

import java.time.Duration;
import java.util.Objects;

/**
 * When to poke: every {@code interval} (growing with {@code backoff} up to {@code maxInterval}) until
 * {@code timeout} has passed since the sensor was created.
 */
public record PokePolicy(Duration interval, Backoff backoff, Duration maxInterval, Duration timeout) {

    /**
     * The longest interval or timeout: a century. Temporal holds durations only up to 10,000 years, and a workflow
     * given one beyond that fails every workflow task, so it would wait forever instead of failing.
     */
    public static final Duration MAX = Duration.ofDays(36_525);

    public PokePolicy {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxInterval, "maxInterval");
        Objects.requireNonNull(timeout, "timeout");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poke interval must be positive, got " + interval);
        }
        if (maxInterval.compareTo(interval) < 0) {
            throw new IllegalArgumentException(
                    "max poke interval " + maxInterval + " is shorter than the poke interval " + interval);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (maxInterval.compareTo(MAX) > 0 || timeout.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("poke intervals and the timeout must be at most " + MAX.toDays()
                    + " days, got max interval " + maxInterval + " and timeout " + timeout);
        }
    }
}
