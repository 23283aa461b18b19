package dev.sensorengine.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A Flyte sensor task as the engine receives it: the task execution (may be unknown), {@code TaskTemplate.custom}
 * as a map, the inputs as plain values, and {@code TaskTemplate.metadata.timeout} when the author set one.
 *
 * <p>A CreateTask also hands over its literals as the facade received them, opaque bytes the engine never reads: a
 * sensor that only the Python worker can run gets them in its spec, for flytekit's own {@code TypeEngine}.
 *
 * @param flyteInputs CreateTask's {@code inputs}, a serialized {@code flyteidl.core.LiteralMap}; null when the task
 *     came from elsewhere (flytekit's {@code resource_meta} holds plain values only)
 * @param flyteInputTypes the serialized {@code flyteidl.core.VariableMap} of {@code TaskTemplate.interface.inputs};
 *     null as {@code flyteInputs}
 */
public record SensorTask(
        TaskExecution execution,
        Map<String, Object> custom,
        Map<String, Object> inputs,
        Optional<Duration> templateTimeout,
        byte[] flyteInputs,
        byte[] flyteInputTypes) {

    /** A task known by plain values only. */
    public SensorTask(
            TaskExecution execution,
            Map<String, Object> custom,
            Map<String, Object> inputs,
            Optional<Duration> templateTimeout) {
        this(execution, custom, inputs, templateTimeout, null, null);
    }

    public SensorTask {
        custom = custom == null ? Map.of() : custom;
        inputs = inputs == null ? Map.of() : inputs;
        templateTimeout = templateTimeout == null ? Optional.empty() : templateTimeout;
        flyteInputs = flyteInputs == null ? null : flyteInputs.clone();
        flyteInputTypes = flyteInputTypes == null ? null : flyteInputTypes.clone();
    }

    @Override
    public byte[] flyteInputs() {
        return flyteInputs == null ? null : flyteInputs.clone();
    }

    @Override
    public byte[] flyteInputTypes() {
        return flyteInputTypes == null ? null : flyteInputTypes.clone();
    }
}
