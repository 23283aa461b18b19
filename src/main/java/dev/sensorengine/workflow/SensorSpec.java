package dev.sensorengine.workflow;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a sensor workflow needs, and the input it is started with: which sensor, its plain-valued
 * inputs and configuration, when to poke, and when it was created (the timeout counts from then, across
 * restarts and re-adoption).
 *
 * @param wakeAt for a timer sensor, the moment it fires (the workflow sleeps instead of poking); else null
 */
public record SensorSpec(
        String sensorModule,
        String sensorName,
        Map<String, Object> config,
        Map<String, Object> inputs,
        PokePolicy policy,
        Instant createdAt,
        Instant wakeAt) {

    /** A spec for a sensor that pokes. */
    public SensorSpec(
            String sensorModule,
            String sensorName,
            Map<String, Object> config,
            Map<String, Object> inputs,
            PokePolicy policy,
            Instant createdAt) {
        this(sensorModule, sensorName, config, inputs, policy, createdAt, null);
    }

    public SensorSpec {
        Objects.requireNonNull(sensorName, "sensorName");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(createdAt, "createdAt");
        sensorModule = sensorModule == null ? "" : sensorModule;
        config = config == null ? Map.of() : config;
        inputs = inputs == null ? Map.of() : inputs;
    }

    /** The moment the sensor times out. */
    public Instant deadline() {
        return createdAt.plus(policy.timeout());
    }

    /** {@code module.Name}, as flytekit names the sensor class. */
    public String qualifiedName() {
        return sensorModule.isEmpty() ? sensorName : sensorModule + "." + sensorName;
    }
}
