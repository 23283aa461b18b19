package dev.sensorengine.engine;

import java.time.Duration;

/**
 * The engine's configuration.
 *
 * @param namespace the Temporal namespace sensors live in
 * @param taskQueue the task queue their workflows run on
 * @param pokeDefaults the poke policy a task does not set
 * @param temporalUiUrl base of the Temporal UI, for each sensor's log link
 * @param temporalCallTimeout how long one Temporal call made for a request may take
 * @param searchAttributes whether sensor workflows carry the {@link SensorSearchAttributes} (registered at start-up)
 * @param limits what {@code resource_meta} and the spec stored in Temporal may hold
 * @param outageGrace how long GetTask answers RUNNING, saying so, while Temporal is unreachable
 * @param pythonTaskQueue where the pokes of sensors that no Java sensor claims go, for the Python worker; empty: such
 *     sensors fail as unknown
 */
public record EngineSettings(
        String namespace,
        String taskQueue,
        PokeDefaults pokeDefaults,
        String temporalUiUrl,
        Duration temporalCallTimeout,
        boolean searchAttributes,
        RequestLimits limits,
        Duration outageGrace,
        String pythonTaskQueue) {

    public EngineSettings {
        pythonTaskQueue = pythonTaskQueue == null ? "" : pythonTaskQueue;
    }

    /** Whether sensors that no Java sensor claims are poked by a Python worker. */
    public boolean routesToPython() {
        return !pythonTaskQueue.isEmpty();
    }
}
