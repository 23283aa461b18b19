package dev.sensorengine.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The JSON notifications of the stores, told apart by their shape: S3 and MinIO, EventBridge, GCS through Pub/Sub. */
final class StoreNotifications {

    static final String EXPECTED = "expected an S3 or MinIO notification (Records), an EventBridge \"Object Created\" "
            + "event (detail-type, detail), a Pub/Sub push of a Cloud Storage notification (message, subscription) "
            + "or a CloudEvent";

    private StoreNotifications() {}

    /**
     * @param transport the metric label when the shape is not recognised
     * @param fallbackId the carrying message's id, for notifications without one of their own
     */
    static Parsed read(JsonNode root, String transport, String fallbackId, Instant receivedAt) {
        if (!root.isObject()) {
            return new Parsed.Unrecognized(transport, "the body is JSON but not an object; " + EXPECTED);
        }
        if (S3Notifications.recognises(root)) {
            return S3Notifications.read(root, fallbackId, receivedAt);
        }
        if (EventBridgeEvents.recognises(root)) {
            return EventBridgeEvents.read(root, fallbackId, receivedAt);
        }
        if (PubSubPush.recognises(root)) {
            return PubSubPush.read(root, fallbackId, receivedAt);
        }
        return new Parsed.Unrecognized(transport, "unknown event format; " + EXPECTED);
    }
}
