package dev.sensorengine.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.SensorSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Sensor workflow ids: readable in the Temporal UI and deterministic per Flyte task execution attempt, so a
 * repeated {@code CreateTask} finds the sensor it already started. Every id starts with {@link #PREFIX}.
 */
public final class WorkflowIds {

    public static final String PREFIX = "flyte-sensor:";
    /**
     * Temporal's default limit on a workflow id ({@code limit.maxIDLength}), in UTF-8 bytes here to be safe. A
     * readable id longer than this (only a malformed request makes one) is replaced by a hash of it.
     */
    public static final int MAX_LENGTH = 1000;

    private WorkflowIds() {}

    /** {@code flyte-sensor:project:domain:execution:node:attempt}, or a hash of the spec when the execution is unknown. */
    public static String of(TaskExecution execution, SensorSpec spec) {
        if (execution.isKnown()) {
            String readable = PREFIX
                    + List.of(
                                    execution.project(),
                                    execution.domain(),
                                    execution.executionName(),
                                    execution.nodeId(),
                                    Integer.toString(execution.retryAttempt()))
                            .stream()
                            .map(WorkflowIds::escape)
                            .collect(Collectors.joining(":"));
            // Still one id per attempt, but one that Temporal takes.
            return fits(readable) ? readable : PREFIX + "long:" + sha256(readable.getBytes(StandardCharsets.UTF_8));
        }
        return PREFIX + "spec:" + hash(spec);
    }

    /**
     * The sensor adopted from flytekit's own {@code resource_meta}. flytekit's meta names no execution, so two
     * executions waiting with the same inputs bring the same bytes; the {@code output_prefix} of their GetTask calls,
     * which propeller makes per execution attempt, keeps them apart. Without one (a caller that sends none), one
     * workflow per distinct meta.
     */
    public static String ofFlytekitMeta(byte[] resourceMeta, String outputPrefix) {
        if (outputPrefix == null || outputPrefix.isEmpty()) {
            return PREFIX + "flytekit:" + sha256(resourceMeta);
        }
        byte[] prefix = outputPrefix.getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[resourceMeta.length + 1 + prefix.length];
        System.arraycopy(resourceMeta, 0, both, 0, resourceMeta.length);
        System.arraycopy(prefix, 0, both, resourceMeta.length + 1, prefix.length);
        return PREFIX + "flytekit:" + sha256(both);
    }

    /** An id this service could have made: its prefix, something after it, and no longer than Temporal allows. */
    public static boolean isSensorId(String workflowId) {
        return workflowId != null
                && workflowId.startsWith(PREFIX)
                && workflowId.length() > PREFIX.length()
                && fits(workflowId);
    }

    private static boolean fits(String workflowId) {
        return workflowId.getBytes(StandardCharsets.UTF_8).length <= MAX_LENGTH;
    }

    /** The first 16 bytes of the SHA-256 digest, in hex. */
    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
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
        SensorSpec timeless = new SensorSpec(
                spec.sensorModule(), spec.sensorName(), spec.config(), spec.inputs(), spec.policy(), Instant.EPOCH);
        try {
            return sha256(CANONICAL_JSON.writeValueAsBytes(timeless));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot hash a sensor spec", e);
        }
    }
}
