package dev.sensorengine.runtime;

import dev.sensorengine.sensors.Connections;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.sensorengine.facade.ServerTls;

/**
 * The settings of {@code serve}.
 *
 * @param role what this process runs: the API, the worker, or both
 * @param temporalTarget {@link #EMBEDDED} or {@code host:port} of a Temporal frontend
 * @param metricsPort 0 turns the Prometheus endpoint off
 */
public record ServiceConfig(
        Role role,
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
        Duration shutdownGrace,
        String temporalUiUrl,
        Optional<ServerTls> tls,
        TemporalAccess temporalAccess,
        int maxConcurrentCalls,
        boolean searchAttributes) {

    public static final String EMBEDDED = "embedded";

    public ServiceConfig {
        fileRoots = List.copyOf(fileRoots);
        rateLimits = Map.copyOf(rateLimits);
    }

    public boolean embedded() {
        return EMBEDDED.equals(temporalTarget);
    }
}
