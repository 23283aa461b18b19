package dev.sensorengine.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorengine.workflow.Json;
import java.io.IOException;
import java.util.Map;

/**
 * Encodes {@link ResourceMeta} as compact JSON with sorted keys (equal metas give equal bytes) and decodes it
 * with validation: only metas this service issues, for its namespace, are accepted.
 */
public final class ResourceMetaCodec {

    private final ObjectMapper mapper = Json.newMapper();
    private final String namespace;

    public ResourceMetaCodec(String namespace) {
        this.namespace = namespace;
    }

    public byte[] encode(ResourceMeta meta) {
        try {
            return mapper.writeValueAsBytes(meta);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode resource_meta", e);
        }
    }

    /** True for the JSON that flytekit's own connector issues (it names {@code sensor_name} at the top). */
    boolean isFlytekit(byte[] bytes) {
        try {
            var tree = mapper.readTree(bytes);
            return tree != null && tree.isObject() && tree.has("sensor_name") && !tree.has("v");
        } catch (IOException e) {
            return false;
        }
    }

    /** @throws InvalidRequestException when the bytes are not flytekit's sensor metadata */
    FlytekitMeta decodeFlytekit(byte[] bytes) {
        try {
            var tree = mapper.readTree(bytes);
            requireWellFormed(tree);
            String name = tree.path("sensor_name").asText("");
            if (name.isBlank()) {
                throw new InvalidRequestException("flytekit resource_meta has no sensor_name");
            }
            Map<String, Object> config = objectOrEmpty(tree.get("sensor_config"), "sensor_config");
            Map<String, Object> inputs = objectOrEmpty(tree.get("inputs"), "inputs");
            return new FlytekitMeta(tree.path("sensor_module").asText(""), name, config, inputs);
        } catch (IOException e) {
            throw new InvalidRequestException("flytekit resource_meta is not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private Map<String, Object> objectOrEmpty(com.fasterxml.jackson.databind.JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("flytekit resource_meta field '" + field + "' must be an object or null");
        }
        return mapper.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
    }

    /** @throws InvalidRequestException for anything that is not a resource_meta this service issued */
    public ResourceMeta decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidRequestException("resource_meta is empty; pass the bytes CreateTask returned");
        }
        ResourceMeta meta;
        try {
            requireWellFormed(mapper.readTree(bytes));
            meta = mapper.readValue(bytes, ResourceMeta.class);
        } catch (IOException | RuntimeException e) {
            throw new InvalidRequestException("resource_meta is not one this service issued (not valid JSON of "
                    + "version " + ResourceMeta.VERSION + "): " + firstLine(e.getMessage()), e);
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

    /**
     * Refuses text that no Unicode string holds: JSON may escape half a surrogate pair ({@code "\\uDC00"}), which
     * protobuf can only send as '?', logging a warning with a stack trace each time.
     */
    private static void requireWellFormed(com.fasterxml.jackson.databind.JsonNode node) {
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
                throw new InvalidRequestException("resource_meta holds text with an unpaired UTF-16 surrogate (an escape "
                        + "such as \\u" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " alone), which is "
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
