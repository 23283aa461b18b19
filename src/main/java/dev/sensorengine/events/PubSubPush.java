package dev.sensorengine.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorengine.engine.ObjectEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A Cloud Storage notification as a Pub/Sub push subscription posts it (the default, wrapped format):
 * {@code {"message": {"attributes": {...}, "data": ..., "messageId": ...}, "subscription": ...}}. The attributes
 * say everything needed: {@code eventType}, {@code bucketId}, {@code objectId} (the object's name as it is, not
 * encoded). Only {@code OBJECT_FINALIZE}, a finished upload, wakes sensors.
 */
final class PubSubPush {

    static final String SOURCE = "gcs";
    private static final String FINALIZE = "OBJECT_FINALIZE";

    private PubSubPush() {}

    static boolean recognises(JsonNode root) {
        return root.path("message").isObject() && root.has("subscription");
    }

    static Parsed read(JsonNode root, String fallbackId, Instant receivedAt) {
        JsonNode message = root.path("message");
        Optional<String> eventType = Json.text(message, "attributes", "eventType");
        Optional<String> bucket = Json.text(message, "attributes", "bucketId");
        Optional<String> object = Json.text(message, "attributes", "objectId");
        if (eventType.isEmpty() || bucket.isEmpty() || object.isEmpty()) {
            return new Parsed.Unrecognized(
                    SOURCE,
                    "a Pub/Sub push message without the attributes of a Cloud Storage notification (eventType, "
                            + "bucketId, objectId)");
        }
        if (!eventType.get().equals(FINALIZE)) {
            return new Parsed.Ignored(
                    SOURCE, "a Cloud Storage " + eventType.get() + " event; only " + FINALIZE + " wakes");
        }
        String id = Json.text(message, "messageId")
                .or(() -> Json.text(message, "message_id"))
                .orElse(fallbackId);
        return new Parsed.Objects(
                SOURCE, List.of(new ObjectEvent(SOURCE, id, ObjectNames.gs(bucket.get(), object.get()), receivedAt)));
    }
}
