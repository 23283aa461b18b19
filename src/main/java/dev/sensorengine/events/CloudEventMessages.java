package dev.sensorengine.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorengine.engine.ObjectEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * CloudEvents 1.0 over HTTP, in binary mode ({@code ce-*} headers, the data as the body) and structured mode
 * ({@code application/cloudevents+json}), read with the CloudEvents SDK. The object is named by, in this order:
 *
 * <ol>
 *   <li>a Cloud Storage event ({@code google.cloud.storage.object.v1.finalized}, as Eventarc sends it): its data's
 *       {@code bucket} and {@code name}; other Cloud Storage types wake nothing;
 *   <li>the subject, when it is an object name ({@code s3://bucket/key}, {@code gs://bucket/object}, a URL, or an
 *       absolute path);
 *   <li>the data: a JSON object whose {@code object} field is such a name, or a store notification (S3 Records,
 *       EventBridge) carried as the data.
 * </ol>
 */
final class CloudEventMessages {

    static final String SOURCE = "cloudevents";
    private static final String GCS_TYPES = "google.cloud.storage.object.v1.";
    private static final String GCS_FINALIZED = GCS_TYPES + "finalized";

    private CloudEventMessages() {}

    /** Whether the request is a CloudEvent by its headers: a {@code ce-specversion}, or the structured media type. */
    static boolean recognises(Map<String, List<String>> headers) {
        return header(headers, "ce-specversion").isPresent()
                || header(headers, "content-type")
                        .map(type -> type.toLowerCase(Locale.ROOT).startsWith("application/cloudevents"))
                        .orElse(false);
    }

    static Parsed read(Map<String, List<String>> headers, byte[] body, Instant receivedAt) {
        if (header(headers, "content-type")
                .map(type -> type.toLowerCase(Locale.ROOT).startsWith("application/cloudevents-batch"))
                .orElse(false)) {
            return new Parsed.Unrecognized(SOURCE, "CloudEvents batch mode is not taken; send one event per request");
        }
        CloudEvent event;
        try {
            event = HttpMessageFactory.createReaderFromMultimap(headers, body).toEvent();
        } catch (RuntimeException e) {
            // The SDK reports a bad event with several exception types (CloudEventRWException, Jackson's wrapped in
            // its own, IllegalStateException): each is the sender's mistake.
            return new Parsed.Unrecognized(SOURCE, "not a valid CloudEvent: " + e.getMessage());
        }
        Optional<JsonNode> data = event.getData() == null
                ? Optional.empty()
                : Json.tree(event.getData().toBytes()).filter(JsonNode::isObject);
        String type = event.getType();
        if (type.startsWith(GCS_TYPES)) {
            return storageEvent(event, data, receivedAt);
        }
        Optional<String> subject = Optional.ofNullable(event.getSubject()).flatMap(ObjectNames::parse);
        if (subject.isPresent()) {
            return objects(event, subject.get(), receivedAt);
        }
        Optional<String> named = data.flatMap(d -> Json.text(d, "object")).flatMap(ObjectNames::parse);
        if (named.isPresent()) {
            return objects(event, named.get(), receivedAt);
        }
        if (data.isPresent() && (S3Notifications.recognises(data.get()) || EventBridgeEvents.recognises(data.get()))) {
            return StoreNotifications.read(data.get(), SOURCE, event.getId(), receivedAt)
                    .labelled(SOURCE);
        }
        return new Parsed.Unrecognized(
                SOURCE,
                "CloudEvent " + event.getId() + " of type " + type + " names no object: give it as the subject "
                        + "(s3://bucket/key, gs://bucket/object, an http(s) URL or an absolute path), or as data "
                        + "{\"object\": ...}");
    }

    private static Parsed storageEvent(CloudEvent event, Optional<JsonNode> data, Instant receivedAt) {
        if (!event.getType().equals(GCS_FINALIZED)) {
            return new Parsed.Ignored(SOURCE, "a Cloud Storage " + event.getType() + " event; only finalized wakes");
        }
        // The data names the object; the source (".../buckets/BUCKET") and subject ("objects/NAME") say the same.
        Optional<String> bucket = data.flatMap(d -> Json.text(d, "bucket"))
                .or(() -> afterLast(String.valueOf(event.getSource()), "/buckets/"));
        Optional<String> name = data.flatMap(d -> Json.text(d, "name"))
                .or(() -> Optional.ofNullable(event.getSubject())
                        .filter(subject -> subject.startsWith("objects/"))
                        .map(subject -> subject.substring("objects/".length())));
        if (bucket.isEmpty() || name.isEmpty() || name.get().isEmpty()) {
            return new Parsed.Unrecognized(
                    SOURCE,
                    "a Cloud Storage finalized event that names no object: expected data.bucket and data.name, or "
                            + "a source ending in /buckets/BUCKET and a subject objects/NAME");
        }
        return objects(event, ObjectNames.gs(bucket.get(), name.get()), receivedAt);
    }

    private static Optional<String> afterLast(String text, String marker) {
        int at = text.lastIndexOf(marker);
        String rest = at < 0 ? "" : text.substring(at + marker.length());
        return rest.isEmpty() || rest.contains("/") ? Optional.empty() : Optional.of(rest);
    }

    private static Parsed objects(CloudEvent event, String object, Instant receivedAt) {
        return new Parsed.Objects(SOURCE, List.of(new ObjectEvent(SOURCE, event.getId(), object, receivedAt)));
    }

    /** A header's first value, whatever the case of its name (the JDK's server capitalises names its own way). */
    static Optional<String> header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream())
                .findFirst();
    }
}
