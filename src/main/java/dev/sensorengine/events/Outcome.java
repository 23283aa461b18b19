package dev.sensorengine.events;

import java.util.Locale;

/** What became of one received message: the {@code outcome} label of {@code sensor_events_received_total}. */
enum Outcome {
    /** Its sensors were woken (or it matched none) and the sender was acknowledged. */
    ACCEPTED,
    /** A known message that wakes nothing (a test message, a deletion), acknowledged. */
    IGNORED,
    /** Not readable (unknown format, garbage, too large, wrong method). */
    REFUSED,
    /** No token, or the wrong one: nothing was read. */
    UNAUTHORIZED,
    /** Temporal could not take it; the sender retries. */
    UNAVAILABLE,
    /** This deployment could not take it at all, or the waker failed unexpectedly. */
    FAILED;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
