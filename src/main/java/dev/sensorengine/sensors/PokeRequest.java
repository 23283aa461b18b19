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

    /** The string input {@code name}, or a configuration error that says what the task must provide. */
    public String requireString(String name) {
        Object value = inputs.get(name);
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        if (value == null) {
            throw new SensorConfigurationException(
                    "input '" + name + "' is missing; the task must declare it as a str input (got inputs "
                            + inputs.keySet() + ")");
        }
        throw new SensorConfigurationException(
                "input '" + name + "' must be a non-empty string, got " + describe(value));
    }

    private static String describe(Object value) {
        return value instanceof String ? "an empty string" : value.getClass().getSimpleName() + " " + value;
    }
}
