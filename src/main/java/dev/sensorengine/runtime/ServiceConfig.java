package dev.sensorengine.runtime;

import dev.sensorengine.sensors.Connections;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The settings of {@code serve}.
 *
 * @param temporalTarget {@link #EMBEDDED} or {@code host:port} of a Temporal frontend
 * @param metricsPort 0 turns the Prometheus endpoint off
 */
public record ServiceConfig(
        int grpcPort,
        int metricsPort,
        String temporalTarget,
        int embeddedTemporalPort,
        String namespace,
        String taskQueue,
        Duration defaultPokeInterval,
        Duration maxPokeInterval,
        Duration defaultTimeout,
        List<Path> fileRoots,
        Connections connections,
        String temporalUiUrl) {

    public static final String EMBEDDED = "embedded";

    public ServiceConfig {
        fileRoots = List.copyOf(fileRoots);
    }

    public boolean embedded() {
        return EMBEDDED.equals(temporalTarget);
    }
}
