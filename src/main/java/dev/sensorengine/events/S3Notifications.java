package dev.sensorengine.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorengine.engine.ObjectEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * S3 event notifications ({@code Records[].s3.bucket.name}, {@code s3.object.key}), as S3 sends them to SQS, SNS or
 * Lambda and as MinIO posts them to a webhook, and S3's {@code s3:TestEvent}. Keys arrive form-URL-encoded and are
 * decoded here. Only {@code ObjectCreated:*} records wake sensors: a sensor waits for an object to exist.
 */
final class S3Notifications {

    static final String S3 = "s3";
    /** MinIO says so in each record's {@code eventSource}, {@code minio:s3}. */
    static final String MINIO = "minio";

    private S3Notifications() {}

    /** Whether the document is an S3-shaped notification or S3's test message. */
    static boolean recognises(JsonNode root) {
        return root.has("Records") || isTestEvent(root);
    }

    /**
     * @param fallbackId the id of the message that carried it, for records without a request id of their own
     */
    static Parsed read(JsonNode root, String fallbackId, Instant receivedAt) {
        if (isTestEvent(root)) {
            return new Parsed.Ignored(S3, "S3's test message (s3:TestEvent), sent when a notification is configured");
        }
        JsonNode records = root.path("Records");
        if (!records.isArray() || records.isEmpty()) {
            return new Parsed.Unrecognized(S3, "Records must be a non-empty array of S3 event records");
        }
        String source = S3;
        List<ObjectEvent> events = new ArrayList<>();
        TreeSet<String> skipped = new TreeSet<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            if (Json.text(record, "eventSource").filter("minio:s3"::equals).isPresent()) {
                source = MINIO;
            }
            String eventName = Json.text(record, "eventName").orElse("");
            // MinIO writes "s3:ObjectCreated:Put", S3 itself "ObjectCreated:Put".
            String name = eventName.startsWith("s3:") ? eventName.substring(3) : eventName;
            Optional<String> bucket = Json.text(record, "s3", "bucket", "name");
            Optional<String> key = Json.text(record, "s3", "object", "key");
            if (bucket.isEmpty() || key.isEmpty()) {
                return new Parsed.Unrecognized(source, "Records[" + i + "] has no s3.bucket.name or s3.object.key");
            }
            if (!name.startsWith("ObjectCreated:")) {
                skipped.add(eventName.isEmpty() ? "(no eventName)" : eventName);
                continue;
            }
            String decoded;
            try {
                decoded = ObjectNames.formDecoded(key.get());
            } catch (IllegalArgumentException e) {
                return new Parsed.Unrecognized(
                        source, "Records[" + i + "].s3.object.key is not form-URL-encoded: " + e.getMessage());
            }
            String id =
                    Json.text(record, "responseElements", "x-amz-request-id").orElse(fallbackId);
            events.add(new ObjectEvent(
                    source,
                    records.size() == 1 ? id : id + "#" + i,
                    ObjectNames.s3(bucket.get(), decoded),
                    receivedAt));
        }
        if (events.isEmpty()) {
            return new Parsed.Ignored(source, "no ObjectCreated record (" + String.join(", ", skipped) + ")");
        }
        return new Parsed.Objects(source, events);
    }

    private static boolean isTestEvent(JsonNode root) {
        return Json.text(root, "Event").filter("s3:TestEvent"::equals).isPresent();
    }
}
