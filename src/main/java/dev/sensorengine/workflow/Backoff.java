package dev.sensorengine.workflow;

/** How the wait between not-ready pokes grows: not at all, or doubling up to the maximum interval. */
public enum Backoff {
    FIXED,
    EXPONENTIAL
}
