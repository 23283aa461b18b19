package dev.sensorengine.engine;

import java.time.Instant;

/** One line of a sensor's log. */
public record LogEntry(Instant time, String message) {}
