package dev.sensorengine.engine;

import java.time.Duration;

/**
 * The engine's configuration: where sensors live in Temporal, the poke defaults a task does not override,
 * the Temporal UI base for log links, and how long one Temporal call may take.
 */
public record EngineSettings(
        String namespace,
        String taskQueue,
        Duration defaultPokeInterval,
        Duration maxPokeInterval,
        Duration defaultTimeout,
        String temporalUiUrl,
        Duration temporalCallTimeout) {
}
