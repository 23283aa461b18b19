package dev.sensorengine.engine;

import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.SensorSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Sensor workflow ids: readable in the Temporal UI and deterministic per Flyte task execution attempt, so a
 * repeated {@code CreateTask} finds the sensor it already started. Every id starts with {@link #PREFIX}.
 */
public final class WorkflowIds {

    public static final String PREFIX = "flyte-sensor:";

    private WorkflowIds() {
    }

    /** {@code flyte-sensor:project:domain:execution:node:attempt}, or a hash of the spec when the execution is unknown. */
    public static String of(TaskExecution execution, SensorSpec spec) {
        if (execution.isKnown()) {
            return PREFIX + List.of(execution.project(), execution.domain(), execution.executionName(), execution.nodeId(),
                            Integer.toString(execution.retryAttempt()))
                    .stream().map(WorkflowIds::escape).collect(Collectors.joining(":"));
        }
        return PREFIX + "spec:" + hash(spec);
    }

    /** The sensor adopted from flytekit's own {@code resource_meta}: one workflow per distinct meta. */
    public static String ofFlytekitMeta(byte[] resourceMeta) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(resourceMeta);
            return PREFIX + "flytekit:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static boolean isSensorId(String workflowId) {
        return workflowId != null && workflowId.startsWith(PREFIX) && workflowId.length() > PREFIX.length();
    }

    /** Keeps ids unambiguous: a ':' inside a part cannot be taken for a separator. */
    private static String escape(String part) {
        return part.replace("%", "%25").replace(":", "%3A");
    }

    /**
     * Built once: a mapper builds its serializers on first use, which costs more than the hash itself. A
     * configured mapper is safe to share between threads.
     */
    private static final ObjectMapper CANONICAL_JSON = Json.newMapper();

    private static String hash(SensorSpec spec) {
        // Everything but the creation time, which differs between two otherwise identical calls.
        SensorSpec timeless = new SensorSpec(spec.sensorModule(), spec.sensorName(), spec.config(), spec.inputs(),
                spec.policy(), java.time.Instant.EPOCH);
        try {
            byte[] json = CANONICAL_JSON.writeValueAsBytes(timeless);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a sensor spec", e);
        }
    }

}
