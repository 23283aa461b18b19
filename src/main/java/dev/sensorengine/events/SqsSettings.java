package dev.sensorengine.events;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SQS queues the service long-polls for S3 notifications. Region and credentials come from the AWS SDK's
 * default chains (environment, system properties, profile, container or instance role).
 *
 * @param queueUrls the queues' URLs ({@code --events-sqs-queue})
 * @param endpoint another SQS endpoint than AWS's, e.g. a local emulator ({@code --events-sqs-endpoint})
 * @param waitTime how long one receive waits for messages (long polling; SQS allows at most 20 s)
 * @param visibilityTimeout how long a received message stays hidden from other consumers; renewed while its
 *     handling runs, so a slow handling does not let another consumer take it
 * @param retryDelay how soon a message whose sensors could not be woken (Temporal unavailable) is received again
 */
public record SqsSettings(
        List<String> queueUrls,
        Optional<URI> endpoint,
        Duration waitTime,
        Duration visibilityTimeout,
        Duration retryDelay) {

    /** No queue. */
    public static final SqsSettings NONE = of(List.of(), Optional.empty());

    public SqsSettings {
        queueUrls = List.copyOf(queueUrls);
        Objects.requireNonNull(endpoint, "endpoint");
        requireSeconds("waitTime", waitTime, 0, 20);
        requireSeconds("visibilityTimeout", visibilityTimeout, 1, 43_200);
        requireSeconds("retryDelay", retryDelay, 0, 43_200);
    }

    /** The queues with the defaults: 20 s long polls, a 30 s visibility timeout, a retry after 10 s. */
    public static SqsSettings of(List<String> queueUrls, Optional<URI> endpoint) {
        return new SqsSettings(
                queueUrls, endpoint, Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    /** How often the visibility of messages still being handled is renewed: well before it runs out. */
    Duration renewEvery() {
        return visibilityTimeout.dividedBy(3);
    }

    private static void requireSeconds(String name, Duration value, long min, long max) {
        Objects.requireNonNull(value, name);
        // SQS takes whole seconds; a fraction would be cut off silently.
        if (value.getNano() != 0 || value.getSeconds() < min || value.getSeconds() > max) {
            throw new IllegalArgumentException(
                    "SQS " + name + " must be whole seconds between " + min + " and " + max + ", not " + value);
        }
    }
}
