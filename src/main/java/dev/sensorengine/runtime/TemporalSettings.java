package dev.sensorengine.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How this process reaches Temporal, and where sensors live there.
 *
 * @param target {@link #LOCAL}, {@link #IN_MEMORY} or {@code host:port} of a Temporal frontend
 *     ({@code --temporal-target})
 * @param local the server that {@link #LOCAL} runs
 * @param namespace the namespace of every sensor workflow
 * @param taskQueue the task queue sensor workflows and pokes run on
 * @param pythonTaskQueue the task queue of the pokes of sensors that no Java sensor claims, served by the Python
 *     worker ({@code --python-task-queue}); empty turns Python sensors off
 * @param access TLS and API key of the connection
 * @param uiUrl base URL of the Temporal UI for each sensor's log link; empty: the local server's own UI, or none
 * @param searchAttributes whether the sensor search attributes are registered and set (always, on a local server)
 * @param registerNamespace present: register {@code namespace} at start-up with this retention unless it exists
 *     ({@code --register-namespace}; a cluster only, the local server creates its namespace itself)
 */
public record TemporalSettings(
        String target,
        LocalTemporalSettings local,
        String namespace,
        String taskQueue,
        String pythonTaskQueue,
        TemporalAccess access,
        Optional<String> uiUrl,
        boolean searchAttributes,
        Optional<Duration> registerNamespace) {

    /** The Temporal CLI's dev server as a child process, durable in SQLite; in memory when no CLI is found. */
    public static final String LOCAL = "local";
    /** The Java SDK's in-memory server inside this process: every sensor is lost when it stops. */
    public static final String IN_MEMORY = "in-memory";

    public TemporalSettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(taskQueue, "taskQueue");
        Objects.requireNonNull(pythonTaskQueue, "pythonTaskQueue");
        Objects.requireNonNull(uiUrl, "uiUrl");
        Objects.requireNonNull(registerNamespace, "registerNamespace");
        access = access == null ? TemporalAccess.PLAINTEXT : access;
    }

    /** Whether this process runs the Temporal server itself. */
    public boolean runsServer() {
        return LOCAL.equals(target) || IN_MEMORY.equals(target);
    }
}
