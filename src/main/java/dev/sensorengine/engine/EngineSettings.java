package dev.sensorengine.engine;

import java.time.Duration;

/**
 * The engine's configuration: where sensors live in Temporal, the poke defaults a task does not override,
 * the Temporal UI base for log links, how long one Temporal call may take, and whether sensor workflows carry
 * the search attributes of {@link SensorSearchAttributes} (registered in the namespace at start-up), and the
 * {@link RequestLimits} of {@code resource_meta} and of the spec stored in Temporal.
 */
public record EngineSettings(
        String namespace,
        String taskQueue,
        Duration defaultPokeInterval,
        Duration maxPokeInterval,
        Duration defaultTimeout,
        String temporalUiUrl,
        Duration temporalCallTimeout,
        boolean searchAttributes,
        RequestLimits limits) {
}
