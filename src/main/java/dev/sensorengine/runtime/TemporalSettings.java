package dev.sensorengine.runtime;

import java.util.Objects;

/**
 * How this process reaches Temporal, and where sensors live there.
 *
 * @param target {@link #EMBEDDED} or {@code host:port} of a Temporal frontend ({@code --temporal-target})
 * @param embeddedPort port of the embedded server ({@code --embedded-temporal-port})
 * @param namespace the namespace of every sensor workflow
 * @param taskQueue the task queue sensor workflows and pokes run on
 * @param access TLS and API key of the connection
 * @param uiUrl base URL of the Temporal UI, for each sensor's log link
 * @param searchAttributes whether the sensor search attributes are registered and set
 */
public record TemporalSettings(
        String target,
        int embeddedPort,
        String namespace,
        String taskQueue,
        TemporalAccess access,
        String uiUrl,
        boolean searchAttributes) {

    public static final String EMBEDDED = "embedded";

    public TemporalSettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(taskQueue, "taskQueue");
        access = access == null ? TemporalAccess.PLAINTEXT : access;
    }

    public boolean embedded() {
        return EMBEDDED.equals(target);
    }
}
