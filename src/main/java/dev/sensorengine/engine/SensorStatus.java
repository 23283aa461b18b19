package dev.sensorengine.engine;

import java.util.Map;

/**
 * What {@code get()} reports: the phase, one line for people, figures for the Flyte console, and the link to the
 * sensor's workflow in the Temporal UI.
 */
public record SensorStatus(Phase phase, String message, Map<String, String> customInfo, String logName, String logUrl) {

    public SensorStatus {
        customInfo = Map.copyOf(customInfo);
    }
}
