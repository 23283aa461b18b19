package dev.sensorengine.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A Flyte sensor task as the engine receives it: the task execution (may be unknown), {@code TaskTemplate.custom}
 * as a map, the inputs as plain values, and {@code TaskTemplate.metadata.timeout} when the author set one.
 */
public record SensorTask(
        TaskExecution execution,
        Map<String, Object> custom,
        Map<String, Object> inputs,
        Optional<Duration> templateTimeout) {

    public SensorTask {
        custom = custom == null ? Map.of() : custom;
        inputs = inputs == null ? Map.of() : inputs;
        templateTimeout = templateTimeout == null ? Optional.empty() : templateTimeout;
    }
}
