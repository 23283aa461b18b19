package dev.sensorengine.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorengine.engine.ObjectEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * S3's events on Amazon EventBridge, as an API destination (or an SQS target) receives them: {@code source}
 * {@code aws.s3}, {@code detail-type} {@code Object Created}, {@code detail.bucket.name}, {@code detail.object.key}.
 * Unlike S3's own notifications, EventBridge gives the key as stored, not form-encoded (its documented events show
 * keys with {@code :} and {@code /} as they are), so it is taken as it is.
 */
final class EventBridgeEvents {

    static final String SOURCE = "eventbridge";
    private static final String OBJECT_CREATED = "Object Created";

    private EventBridgeEvents() {}

    static boolean recognises(JsonNode root) {
        return root.has("detail-type") && root.has("detail");
    }

    static Parsed read(JsonNode root, String fallbackId, Instant receivedAt) {
        String origin = Json.text(root, "source").orElse("");
        if (!origin.equals("aws.s3")) {
            return new Parsed.Unrecognized(
                    SOURCE,
                    "an EventBridge event from '" + origin + "'; only aws.s3 \"Object Created\" events name objects");
        }
        String detailType = Json.text(root, "detail-type").orElse("");
        if (!detailType.equals(OBJECT_CREATED)) {
            return new Parsed.Ignored(SOURCE, "an S3 \"" + detailType + "\" event; only \"Object Created\" wakes");
        }
        Optional<String> bucket = Json.text(root, "detail", "bucket", "name");
        Optional<String> key = Json.text(root, "detail", "object", "key");
        if (bucket.isEmpty() || key.isEmpty()) {
            return new Parsed.Unrecognized(
                    SOURCE, "an \"Object Created\" event without detail.bucket.name or " + "detail.object.key");
        }
        String id = Json.text(root, "id").orElse(fallbackId);
        return new Parsed.Objects(
                SOURCE, List.of(new ObjectEvent(SOURCE, id, ObjectNames.s3(bucket.get(), key.get()), receivedAt)));
    }
}
