package dev.sensorengine.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.sensorengine.workflow.Json;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes {@link ResourceMeta} as compact JSON with sorted keys (equal metas give equal bytes) and decodes it
 * with validation: only metas this service issues, for its namespace, are accepted.
 */
public final class ResourceMetaCodec {

    private final ObjectMapper mapper = Json.newMapper();
    /** A key given twice is no meta anyone issued, and which of the two would count is the parser's choice. */
    private final ObjectReader strictReader = mapper.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private final String namespace;
    private final RequestLimits limits;

    public ResourceMetaCodec(String namespace, RequestLimits limits) {
        this.namespace = namespace;
        this.limits = limits;
    }

    public byte[] encode(ResourceMeta meta) {
        try {
            return mapper.writeValueAsBytes(meta);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode resource_meta", e);
        }
    }

    /**
     * Reads a {@code resource_meta}, parsing it once: ours, or flytekit's (which names {@code sensor_name} at the
     * top and carries no version).
     *
     * @throws InvalidRequestException for bytes that are neither, naming what is wrong
     */
    ReadMeta read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidRequestException("resource_meta is empty; pass the bytes CreateTask returned");
        }
        // Before any parsing: the bytes come from the caller, and only metas we could have issued are this small.
        limits.checkResourceMetaSize(bytes.length);
        JsonNode tree;
        try {
            tree = strictReader.readTree(bytes);
        } catch (IOException e) {
            throw notOurs(e);
        }
        requireWellFormed(tree);
        if (tree != null && tree.isObject() && tree.has("sensor_name") && !tree.has("v")) {
            return new ReadMeta.Flytekit(flytekit(tree), bytes.clone());
        }
        return new ReadMeta.Issued(issued(tree));
    }

    /**
     * Reads a {@code resource_meta} this service issued.
     *
     * @throws InvalidRequestException for anything else
     */
    public ResourceMeta decode(byte[] bytes) {
        if (read(bytes) instanceof ReadMeta.Issued issued) {
            return issued.meta();
        }
        throw new InvalidRequestException("resource_meta is flytekit's, not one this service issued");
    }

    private FlytekitMeta flytekit(JsonNode tree) {
        String name = tree.path("sensor_name").asText("");
        if (name.isBlank()) {
            throw new InvalidRequestException("flytekit resource_meta has no sensor_name");
        }
        Map<String, Object> config = objectOrEmpty(tree.get("sensor_config"), "sensor_config");
        Map<String, Object> inputs = objectOrEmpty(tree.get("inputs"), "inputs");
        return new FlytekitMeta(tree.path("sensor_module").asText(""), name, config, inputs);
    }

    private Map<String, Object> objectOrEmpty(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("flytekit resource_meta field '" + field + "' must be an object or null");
        }
        return mapper.convertValue(node, new TypeReference<Map<String, Object>>() {});
    }

    private ResourceMeta issued(JsonNode tree) {
        ResourceMeta meta;
        try {
            meta = tree == null || tree.isNull() ? null : mapper.treeToValue(tree, ResourceMeta.class);
        } catch (IOException | RuntimeException e) {
            throw notOurs(e);
        }
        if (meta == null || meta.version() != ResourceMeta.VERSION) {
            throw new InvalidRequestException("resource_meta has version " + (meta == null ? "none" : meta.version())
                    + "; this service reads version " + ResourceMeta.VERSION);
        }
        if (!namespace.equals(meta.namespace())) {
            throw new InvalidRequestException("resource_meta names Temporal namespace '" + meta.namespace()
                    + "'; this service serves '" + namespace + "'");
        }
        if (!WorkflowIds.isSensorId(meta.workflowId())) {
            throw new InvalidRequestException("resource_meta names workflow '" + meta.workflowId()
                    + "', which is not a sensor of this service (ids start with " + WorkflowIds.PREFIX + ")");
        }
        if (meta.spec() == null) {
            throw new InvalidRequestException("resource_meta has no sensor spec");
        }
        return meta;
    }

    private static InvalidRequestException notOurs(Exception e) {
        return new InvalidRequestException(
                "resource_meta is not one this service issued (JSON of version " + ResourceMeta.VERSION
                        + ") nor flytekit's: " + firstLine(e.getMessage()),
                e);
    }

    /**
     * Refuses text that no Unicode string holds: JSON may escape half a surrogate pair ({@code "\\uDC00"}), which
     * protobuf can only send as '?', logging a warning with a stack trace each time.
     */
    private static void requireWellFormed(JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            requireWellFormed(node.textValue());
        }
        node.fieldNames().forEachRemaining(ResourceMetaCodec::requireWellFormed);
        node.elements().forEachRemaining(ResourceMetaCodec::requireWellFormed);
    }

    private static void requireWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException(
                        "resource_meta holds text with an unpaired UTF-16 surrogate (an escape "
                                + "such as \\u" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + " alone), which is "
                                + "no Unicode text");
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
