package dev.sensorengine.workflow;

import java.time.Instant;
import java.util.Map;

/** What a sensor workflow returns when its condition held: the sensor's message and what matched. */
public record SensorResult(String message, Map<String, String> details, Instant readyAt) {

    public SensorResult {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
