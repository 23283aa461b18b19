package dev.sensorengine.runtime;

import io.grpc.ManagedChannel;
import java.util.Optional;

/**
 * A Temporal server that this process runs itself ({@code --temporal-target local} or {@code in-memory}): the
 * Temporal CLI's dev server as a child process, or the Java SDK's in-memory server.
 */
public interface LocalTemporal extends AutoCloseable {

    /** {@code host:port} of its frontend. */
    String target();

    /** A channel that skips the socket, where the server lives in this process; the caller shuts it down. */
    Optional<ManagedChannel> inProcessChannel();

    /** Base URL of its Temporal UI, when it serves one. */
    Optional<String> uiUrl();

    @Override
    void close() throws InterruptedException;
}
