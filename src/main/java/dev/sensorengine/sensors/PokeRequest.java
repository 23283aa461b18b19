package dev.sensorengine.sensors;

import java.util.Map;

/**
 * The inputs and configuration of one sensor, as plain JSON-like values (String, Long, Double,
 * Boolean, List, Map; datetimes and durations as ISO-8601 strings, blobs as their URI).
 */
public record PokeRequest(Map<String, Object> inputs, Map<String, Object> config) {

    public PokeRequest {
        inputs = inputs == null ? Map.of() : inputs;
        config = config == null ? Map.of() : config;
    }

    /** Typed reads of the inputs, e.g. {@code inputValues().string("path")}. */
    public SensorValues inputValues() {
        return new SensorValues("input", inputs);
    }

    /** Typed reads of {@code sensor_config}, e.g. {@code configValues().string("match", "exact")}. */
    public SensorValues configValues() {
        return new SensorValues("sensor_config", config);
    }
}
