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
     * The longest id this service makes, in UTF-8 bytes (Temporal measures bytes too). Temporal's PostgreSQL and MySQL
     * schemas store {@code workflow_id VARCHAR(255)}, and the SQL dynamic config Temporal ships sets
     * {@code limit.maxIDLength} to 255; the server's own default of 1,000 holds only where the store allows it. A
     * readable id longer than this (a long execution name or node id) is replaced by a hash of it, so one id works
     * on every Temporal.
     */
    public static final int MAX_LENGTH = 255;

    /**
     * The longest id accepted back in a {@code resource_meta}: Temporal's default limit, which ids made before
     * {@link #MAX_LENGTH} was 255 could reach (on the dev server or the in-memory one), so those sensors carry on.
     */
    public static final int MAX_ACCEPTED_LENGTH = 1000;

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
            // Still one id per attempt, but one that every Temporal takes.
            return utf8Length(readable) <= MAX_LENGTH
                    ? readable
                    : PREFIX + "long:" + sha256(readable.getBytes(StandardCharsets.UTF_8));
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

    /**
     * An id this service could have made, now or in an earlier release: its prefix, something after it, and no longer
     * than {@link #MAX_ACCEPTED_LENGTH}.
     */
    public static boolean isSensorId(String workflowId) {
        return workflowId != null
                && workflowId.startsWith(PREFIX)
                && workflowId.length() > PREFIX.length()
                && utf8Length(workflowId) <= MAX_ACCEPTED_LENGTH;
    }

    private static int utf8Length(String workflowId) {
        return workflowId.getBytes(StandardCharsets.UTF_8).length;
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
