package dev.sensorengine.engine;

import java.util.Map;
import java.util.Optional;

/**
 * What {@code get()} reports: the phase, one line for people, figures for the Flyte console, and the link to the
 * sensor's workflow in the Temporal UI (none when the service knows no UI).
 */
public record SensorStatus(
        Phase phase, String message, Map<String, String> customInfo, String logName, Optional<String> logUrl) {

    public SensorStatus {
        customInfo = Map.copyOf(customInfo);
    }
}
