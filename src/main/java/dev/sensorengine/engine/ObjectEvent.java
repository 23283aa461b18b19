package dev.sensorengine.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * A store's word that an object now exists, as an event source received it. It never decides a sensor's outcome by
 * itself: it only wakes the sensors that wait for the object, and their next poke confirms.
 *
 * @param source where the event came from, a bounded metric label such as {@code sqs}, {@code s3}, {@code gcs},
 *     {@code cloudevents} or {@code file-watch}
 * @param id the sender's id of the event (a message id, a CloudEvents id), for logs and the sensor's history
 * @param object the object in the form a sensor names it: {@code s3://bucket/key}, {@code gs://bucket/object}, an
 *     {@code http(s)} URL, or an absolute local path; keys already URL-decoded
 * @param receivedAt when the source received the event, for the event-to-wake latency
 */
public record ObjectEvent(String source, String id, String object, Instant receivedAt) {

    public ObjectEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
