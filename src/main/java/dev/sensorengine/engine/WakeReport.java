package dev.sensorengine.engine;

/**
 * What one event did.
 *
 * @param matched waiting sensors whose target matches the event's object
 * @param woken of those, the sensors that were signalled
 * @param ignored of those, the sensors that were not signalled (closed meanwhile, or a wake already pending)
 */
public record WakeReport(int matched, int woken, int ignored) {

    /** An event that matched no waiting sensor. */
    public static final WakeReport NONE = new WakeReport(0, 0, 0);
}
