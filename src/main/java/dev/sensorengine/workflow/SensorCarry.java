package dev.sensorengine.workflow;

import java.time.Instant;

/**
 * What a sensor workflow carries into its next run when it continues as new to keep its history short (many wakes
 * add events that pokes do not). The deadline needs no carrying: it is the spec's creation time plus its timeout.
 *
 * @param pokes pokes made by the earlier runs, and by this run's wake pokes
 * @param wakes wake signals received by the earlier runs
 * @param lastWakePoke when the latest wake poke was scheduled, for coalescing; null before the first
 * @param pendingWake a wake received but not yet acted on; null for none
 * @param lastWake what the latest wake did, for the sensor's log; empty before the first
 */
public record SensorCarry(long pokes, long wakes, Instant lastWakePoke, WakeSignal pendingWake, String lastWake) {

    /** A sensor's first run. */
    public static final SensorCarry NONE = new SensorCarry(0, 0, null, null, "");

    public SensorCarry {
        lastWake = lastWake == null ? "" : lastWake;
    }
}
