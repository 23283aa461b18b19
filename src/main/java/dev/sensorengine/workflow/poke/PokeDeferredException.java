package dev.sensorengine.workflow.poke;

import java.time.Duration;

/**
 * A poke that was not made because its target's rate limit has no room before {@link #waitTime()}, when a turn is
 * reserved for it. The poke activity answers with that as its retry delay instead of holding a worker slot.
 */
public final class PokeDeferredException extends Exception {

    private final transient Duration wait;

    PokeDeferredException(String message, Duration wait) {
        super(message, null, false, false);
        this.wait = wait;
    }

    /** How long until the poke's turn. */
    public Duration waitTime() {
        return wait;
    }
}
