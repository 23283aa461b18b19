package dev.sensorengine.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tells which format a pushed request is in, by its headers and then by the shape of its JSON. */
final class PushFormats {

    /** The metric label of pushed requests whose format is not known. */
    static final String HTTP = "http";

    static final String SNS_REFUSED = "SNS HTTP(S) subscriptions are not taken here, because this service does not "
            + "verify SNS message signatures: subscribe an SQS queue to the topic and give it with "
            + "--events-sqs-queue";

    private PushFormats() {}

    /**
     * @param requestId an id for events whose message carries none of its own
     */
    static Parsed read(Map<String, List<String>> headers, byte[] body, String requestId, Instant receivedAt) {
        if (CloudEventMessages.header(headers, "x-amz-sns-message-type").isPresent()) {
            return new Parsed.Unrecognized("sns", SNS_REFUSED);
        }
        if (CloudEventMessages.recognises(headers)) {
            return CloudEventMessages.read(headers, body, receivedAt);
        }
        Optional<JsonNode> root = Json.tree(body);
        if (root.isEmpty()) {
            return new Parsed.Unrecognized(HTTP, "the body is not JSON; " + StoreNotifications.EXPECTED);
        }
        return StoreNotifications.read(root.get(), HTTP, requestId, receivedAt);
    }
}
