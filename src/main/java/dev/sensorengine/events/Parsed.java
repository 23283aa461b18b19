package dev.sensorengine.events;

import dev.sensorengine.engine.ObjectEvent;
import java.util.List;

/** What one received message says, before any sensor is woken. */
sealed interface Parsed {

    /** The metric label of the format it was recognised as, or of the transport when it was not. */
    String source();

    /**
     * The same under another label, for a notification carried inside another message (an S3 notification in an
     * SQS message or in a CloudEvent's data), whose events count as the carrier's.
     */
    Parsed labelled(String source);

    /** The message names objects that now exist. */
    record Objects(String source, List<ObjectEvent> events) implements Parsed {
        public Objects {
            events = List.copyOf(events);
            if (events.isEmpty()) {
                throw new IllegalArgumentException("a message that names objects names at least one");
            }
        }

        @Override
        public Parsed labelled(String label) {
            return new Objects(
                    label,
                    events.stream()
                            .map(e -> new ObjectEvent(label, e.id(), e.object(), e.receivedAt()))
                            .toList());
        }
    }

    /**
     * A message in a known format that wakes nothing, and is acknowledged: a store's test message, a deletion, a GCS
     * event other than a finished upload.
     */
    record Ignored(String source, String reason) implements Parsed {
        @Override
        public Parsed labelled(String label) {
            return new Ignored(label, reason);
        }
    }

    /** Not a format this service reads, or a known format with a field missing or malformed; the reason says which. */
    record Unrecognized(String source, String reason) implements Parsed {
        @Override
        public Parsed labelled(String label) {
            return new Unrecognized(label, reason);
        }
    }
}
