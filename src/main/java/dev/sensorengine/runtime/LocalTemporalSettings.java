package dev.sensorengine.runtime;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The Temporal server that {@code --temporal-target local} runs on this machine.
 *
 * @param cli the Temporal CLI ({@code --temporal-cli}); empty: look on {@code PATH} and in the project's tools
 * @param stateDir where the dev server keeps its SQLite database and log ({@code --state-dir})
 * @param port its frontend port on 127.0.0.1 ({@code --local-temporal-port}); 0 picks a free one
 * @param uiPort the Temporal UI's port ({@code --temporal-ui-port}); 0 picks a free one, -1 serves none
 */
public record LocalTemporalSettings(Optional<Path> cli, Path stateDir, int port, int uiPort) {

    public LocalTemporalSettings {
        Objects.requireNonNull(cli, "cli");
        Objects.requireNonNull(stateDir, "stateDir");
    }
}
