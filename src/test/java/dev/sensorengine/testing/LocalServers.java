package dev.sensorengine.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Waiting for a server process the tests started (s3proxy, moto) until it listens on its loopback port. */
final class LocalServers {

    private LocalServers() {}

    /**
     * Returns once {@code process} accepts connections on {@code port}; if it exits first, or a minute passes, stops
     * it and throws with what it logged.
     */
    static void awaitListening(String name, Process process, int port, Path log) {
        try {
            await(name + " listening on 127.0.0.1:" + port)
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(name + " exited: " + Files.readString(log));
                        }
                        return accepts(port);
                    });
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
