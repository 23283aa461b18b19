package dev.sensorengine.engine;

/** A sensor's phase as Flyte sees it. */
public enum Phase {
    RUNNING,
    SUCCEEDED,
    /** Permanent: bad configuration or timed out. */
    FAILED,
    /** Cancelled (deleted) or terminated by an operator. */
    ABORTED
}
