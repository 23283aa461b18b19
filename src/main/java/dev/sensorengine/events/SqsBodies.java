package dev.sensorengine.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * The body of an SQS message: an S3 notification as S3 sends it to a queue (or its {@code s3:TestEvent}), the same
 * wrapped in an SNS envelope when S3 notifies a topic that the queue subscribes to without raw delivery, or an S3
 * event that EventBridge sent to the queue. Every event it names is labelled {@code sqs}.
 */
final class SqsBodies {

    static final String SOURCE = "sqs";

    private SqsBodies() {}

    static Parsed read(String body, String messageId, Instant receivedAt) {
        Optional<JsonNode> root = Json.tree(body);
        if (root.isEmpty()) {
            return new Parsed.Unrecognized(SOURCE, "the message body is not JSON");
        }
        JsonNode document = root.get();
        // The queue's access policy says who may send to it, so the SNS signature adds nothing here.
        if (Json.text(document, "Type").filter("Notification"::equals).isPresent()) {
            Optional<JsonNode> inner = Json.text(document, "Message").flatMap(Json::tree);
            if (inner.isEmpty()) {
                return new Parsed.Unrecognized(SOURCE, "an SNS notification whose Message is not JSON");
            }
            document = inner.get();
        }
        return StoreNotifications.read(document, SOURCE, messageId, receivedAt).labelled(SOURCE);
    }
}
