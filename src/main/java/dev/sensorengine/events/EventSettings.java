package dev.sensorengine.events;

import java.util.Objects;
import java.util.Optional;

/**
 * Which event sources {@code serve} runs. Each is off unless configured.
 *
 * @param push the HTTP endpoint stores push to ({@code --events-port}), or none
 * @param sqs the SQS queues to long-poll ({@code --events-sqs-queue}); none when it lists no queue
 * @param watchFiles whether to watch the {@code --file-root} directories for new files ({@code --events-watch-files})
 */
public record EventSettings(Optional<PushSettings> push, SqsSettings sqs, boolean watchFiles) {

    /** No event sources at all. */
    public static final EventSettings OFF = new EventSettings(Optional.empty(), SqsSettings.NONE, false);

    public EventSettings {
        Objects.requireNonNull(push, "push");
        Objects.requireNonNull(sqs, "sqs");
    }

    /** Whether any source is on, and so whether the service needs an event waker. */
    public boolean enabled() {
        return push.isPresent() || !sqs.queueUrls().isEmpty() || watchFiles;
    }
}
