package dev.sensorengine.workflow;

import java.time.Instant;
import java.util.Map;

/**
 * What a sensor workflow returns when its condition held: the sensor's message, what matched, when, and after
 * how many pokes.
 */
public record SensorResult(String message, Map<String, String> details, Instant readyAt, int pokes) {

    public SensorResult {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
