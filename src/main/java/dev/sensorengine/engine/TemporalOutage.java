package dev.sensorengine.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Since when Temporal has not answered this process, as its own calls and the readiness checks find. GetTask rides
 * out an outage this short with a status that says so, and readiness stays up, so that propeller's budget of
 * failed calls is not spent on an outage the sensors themselves never notice.
 */
public final class TemporalOutage {

    private final AtomicReference<Instant> unreachableSince = new AtomicReference<>();

    /** Temporal answered. */
    public void reachable() {
        unreachableSince.set(null);
    }

    /** Temporal did not answer at {@code now}; an outage already under way keeps its start. */
    public void unreachable(Instant now) {
        unreachableSince.compareAndSet(null, now);
    }

    /** How long Temporal has been unreachable as of {@code now}; empty while it answers. */
    public Optional<Duration> downFor(Instant now) {
        Instant since = unreachableSince.get();
        return since == null ? Optional.empty() : Optional.of(Duration.between(since, now));
    }
}
