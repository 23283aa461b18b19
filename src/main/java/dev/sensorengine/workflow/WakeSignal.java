package dev.sensorengine.workflow;

import java.time.Instant;
import java.util.Objects;

/**
 * The argument of the sensor workflow's {@code wake} signal: an event said that an object the sensor waits for now
 * exists. It decides nothing by itself; the sensor pokes at once and the poke decides.
 *
 * @param source the event source, e.g. {@code sqs} or {@code file-watch}
 * @param id the sender's id of the event
 * @param object the object the event named
 * @param receivedAt when the source received the event: a wake whose event came before the sensor's latest wake poke
 *     was scheduled is already answered by that poke, and is coalesced into it
 */
public record WakeSignal(String source, String id, String object, Instant receivedAt) {

    public WakeSignal {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** {@code sqs event 7f3a about s3://b/k}. */
    public String describe() {
        return source + " event " + id + " about " + object;
    }
}
