package dev.sensorengine.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a sensor workflow needs, and the input it is started with: which sensor, its plain-valued
 * inputs and configuration, when to poke, and when it was created (the timeout counts from then, across
 * restarts and re-adoption).
 *
 * <p>The last three fields are set only for a sensor that no Java sensor claims, whose pokes a Python worker makes
 * (contract/poke-activity.md). They are left out of the JSON when null, so that a Java sensor's spec, its payload in
 * Temporal and its {@code resource_meta} are the same bytes as before they existed.
 *
 * @param wakeAt for a timer sensor, the moment it fires (the workflow sleeps instead of poking); else null
 * @param pokeTaskQueue the task queue the poke activity is scheduled on; null: the workflow's own (a Java sensor, and
 *     every spec written before Python sensors existed, so their histories replay unchanged)
 * @param flyteInputs the task's inputs as the bytes of a {@code flyteidl.core.LiteralMap}, for the Python worker's
 *     {@code TypeEngine}; null for a Java sensor, and for one adopted from flytekit's {@code resource_meta}, which
 *     holds plain values only
 * @param flyteInputTypes the bytes of the {@code flyteidl.core.VariableMap} of the task interface's inputs; null as
 *     {@code flyteInputs}
 */
public record SensorSpec(
        String sensorModule,
        String sensorName,
        Map<String, Object> config,
        Map<String, Object> inputs,
        PokePolicy policy,
        Instant createdAt,
        Instant wakeAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String pokeTaskQueue,
        @JsonInclude(JsonInclude.Include.NON_NULL) byte[] flyteInputs,
        @JsonInclude(JsonInclude.Include.NON_NULL) byte[] flyteInputTypes) {

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

    /** A spec for a sensor this service runs itself: its pokes on the workflow's own task queue. */
    public SensorSpec(
            String sensorModule,
            String sensorName,
            Map<String, Object> config,
            Map<String, Object> inputs,
            PokePolicy policy,
            Instant createdAt,
            Instant wakeAt) {
        this(sensorModule, sensorName, config, inputs, policy, createdAt, wakeAt, null, null, null);
    }

    public SensorSpec {
        Objects.requireNonNull(sensorName, "sensorName");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(createdAt, "createdAt");
        sensorModule = sensorModule == null ? "" : sensorModule;
        config = config == null ? Map.of() : config;
        inputs = inputs == null ? Map.of() : inputs;
        pokeTaskQueue = pokeTaskQueue == null || pokeTaskQueue.isEmpty() ? null : pokeTaskQueue;
        flyteInputs = flyteInputs == null ? null : flyteInputs.clone();
        flyteInputTypes = flyteInputTypes == null ? null : flyteInputTypes.clone();
    }

    /** The moment the sensor times out. */
    public Instant deadline() {
        return createdAt.plus(policy.timeout());
    }

    /** {@code module.Name}, as flytekit names the sensor class. */
    public String qualifiedName() {
        return sensorModule.isEmpty() ? sensorName : sensorModule + "." + sensorName;
    }

    @Override
    public byte[] flyteInputs() {
        return flyteInputs == null ? null : flyteInputs.clone();
    }

    @Override
    public byte[] flyteInputTypes() {
        return flyteInputTypes == null ? null : flyteInputTypes.clone();
    }

    // A record compares arrays by identity; a spec read back from JSON must equal the one written.
    @Override
    public boolean equals(Object other) {
        return other instanceof SensorSpec that
                && sensorModule.equals(that.sensorModule)
                && sensorName.equals(that.sensorName)
                && config.equals(that.config)
                && inputs.equals(that.inputs)
                && policy.equals(that.policy)
                && createdAt.equals(that.createdAt)
                && Objects.equals(wakeAt, that.wakeAt)
                && Objects.equals(pokeTaskQueue, that.pokeTaskQueue)
                && Arrays.equals(flyteInputs, that.flyteInputs)
                && Arrays.equals(flyteInputTypes, that.flyteInputTypes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sensorModule, sensorName, config, inputs, policy, createdAt, wakeAt, pokeTaskQueue) * 31
                + Arrays.hashCode(flyteInputs) * 17
                + Arrays.hashCode(flyteInputTypes);
    }

    /** The literals by size only: they are bytes for the Python worker, not for people or logs. */
    @Override
    public String toString() {
        return "SensorSpec[sensorModule=" + sensorModule + ", sensorName=" + sensorName + ", config=" + config
                + ", inputs=" + inputs + ", policy=" + policy + ", createdAt=" + createdAt + ", wakeAt=" + wakeAt
                + (pokeTaskQueue == null ? "" : ", pokeTaskQueue=" + pokeTaskQueue)
                + (flyteInputs == null ? "" : ", flyteInputs=" + flyteInputs.length + " bytes")
                + (flyteInputTypes == null ? "" : ", flyteInputTypes=" + flyteInputTypes.length + " bytes")
                + "]";
    }
}
