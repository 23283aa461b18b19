package dev.sensorengine.runtime;

import dev.sensorengine.sensors.Connections;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
        Map<String, Double> rateLimits,
        Duration sharedPokeWindow,
        String temporalUiUrl) {

    public static final String EMBEDDED = "embedded";

    /** A configuration with the service's defaults for everything that {@code serve} does not name here. */
    public static ServiceConfig defaults(int grpcPort, int metricsPort, String temporalTarget, String taskQueue,
            List<Path> fileRoots, String temporalUiUrl) {
        return new ServiceConfig(grpcPort, metricsPort, temporalTarget, 0, "default", taskQueue, Duration.ofSeconds(30),
                Duration.ofMinutes(10), Duration.ofDays(7), fileRoots, Connections.none(), Map.of(), Duration.ofSeconds(1),
                temporalUiUrl);
    }

    public ServiceConfig {
        fileRoots = List.copyOf(fileRoots);
        rateLimits = Map.copyOf(rateLimits);
    }

    public boolean embedded() {
        return EMBEDDED.equals(temporalTarget);
    }
}
