package dev.sensorengine.events;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The HTTP endpoint that stores push their notifications to.
 *
 * @param port its port; 0 lets the system pick one (tests)
 * @param tokenFile the file holding the bearer token every request must carry ({@code --events-token-file})
 * @param maxBodyBytes the largest request body taken; larger ones are refused with 413
 */
public record PushSettings(int port, Path tokenFile, int maxBodyBytes) {

    public PushSettings {
        Objects.requireNonNull(tokenFile, "tokenFile");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--events-port must be between 1 and 65535, not " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("--events-max-body-size must be at least 1KiB, not " + maxBodyBytes);
        }
    }
}
