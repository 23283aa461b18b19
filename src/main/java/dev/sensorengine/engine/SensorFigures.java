package dev.sensorengine.engine;

import java.time.Instant;

/** A sensor's figures for {@code GetTaskMetrics}: when it was created, how many pokes it has made, as of when. */
public record SensorFigures(Instant createdAt, Instant asOf, long pokes) {}
