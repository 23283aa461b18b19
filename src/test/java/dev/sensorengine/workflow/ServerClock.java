package dev.sensorengine.workflow;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * A clock that reads the time of a Temporal test server, for activities under the time-skipping server: the poke
 * activity measures the time left to the deadline with its clock, and skipped time is not on the wall clock.
 */
final class ServerClock extends Clock {

    private final LongSupplier millis;

    ServerClock(LongSupplier millis) {
        this.millis = millis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test server's clock is in UTC");
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.getAsLong());
    }
}
