package dev.sensorengine.runtime;

import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.NetworkPolicy;
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
 * @param requestLimits what one gRPC request may carry
 * @param network the non-public addresses sensors may reach at a task's URLs ({@code --allow-network})
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
        NetworkPolicy network,
        Map<String, Double> rateLimits,
        Duration sharedPokeWindow,
        Duration shutdownGrace,
        String temporalUiUrl,
        Optional<ServerTls> tls,
        TemporalAccess temporalAccess,
        int maxConcurrentCalls,
        boolean searchAttributes,
        RequestLimits requestLimits) {

    public static final String EMBEDDED = "embedded";

    public ServiceConfig {
        fileRoots = List.copyOf(fileRoots);
        rateLimits = Map.copyOf(rateLimits);
        network = network == null ? NetworkPolicy.publicOnly() : network;
    }

    public boolean embedded() {
        return EMBEDDED.equals(temporalTarget);
    }

    /**
     * A builder for a service inside another program (the benchmark, tests): embedded Temporal, every port
     * picked by the system, metrics off, no file roots or connections, public addresses only. {@code serve} sets every field from its options.
     */
    public static Builder inProcess(String taskQueue) {
        return new Builder(taskQueue);
    }

    /** Settings of {@link #inProcess}, each changeable before {@link #build()}. */
    public static final class Builder {
        private Role role = Role.ALL;
        private int grpcPort;
        private int metricsPort;
        private String temporalTarget = EMBEDDED;
        private int embeddedTemporalPort;
        private String namespace = "default";
        private final String taskQueue;
        private Duration defaultPokeInterval = Duration.ofSeconds(1);
        private Duration maxPokeInterval = Duration.ofSeconds(5);
        private Duration defaultTimeout = Duration.ofHours(1);
        private List<Path> fileRoots = List.of();
        private Connections connections = Connections.none();
        private NetworkPolicy network = NetworkPolicy.publicOnly();
        private Map<String, Double> rateLimits = Map.of();
        private Duration sharedPokeWindow = Duration.ofSeconds(1);
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private String temporalUiUrl = "http://localhost:8080";
        private Optional<ServerTls> tls = Optional.empty();
        private TemporalAccess temporalAccess = TemporalAccess.PLAINTEXT;
        private int maxConcurrentCalls = 100;
        private boolean searchAttributes;
        private RequestLimits requestLimits = RequestLimits.DEFAULTS;

        private Builder(String taskQueue) {
            this.taskQueue = taskQueue;
        }

        public Builder role(Role value) {
            role = value;
            return this;
        }

        public Builder metricsPort(int value) {
            metricsPort = value;
            return this;
        }

        public Builder temporalTarget(String value) {
            temporalTarget = value;
            return this;
        }

        public Builder pokeIntervals(Duration defaultInterval, Duration max) {
            defaultPokeInterval = defaultInterval;
            maxPokeInterval = max;
            return this;
        }

        public Builder defaultTimeout(Duration value) {
            defaultTimeout = value;
            return this;
        }

        public Builder fileRoots(List<Path> value) {
            fileRoots = value;
            return this;
        }

        public Builder connections(Connections value) {
            connections = value;
            return this;
        }

        /** CIDR blocks (or single addresses) sensors may reach besides public addresses, as {@code --allow-network}. */
        public Builder allowNetworks(List<String> blocks) {
            network = NetworkPolicy.allowing(blocks);
            return this;
        }

        public Builder temporalUiUrl(String value) {
            temporalUiUrl = value;
            return this;
        }

        public Builder tls(ServerTls value) {
            tls = Optional.of(value);
            return this;
        }

        public Builder temporalAccess(TemporalAccess value) {
            temporalAccess = value;
            return this;
        }

        public Builder maxConcurrentCalls(int value) {
            maxConcurrentCalls = value;
            return this;
        }

        public Builder searchAttributes(boolean value) {
            searchAttributes = value;
            return this;
        }

        public Builder requestLimits(RequestLimits value) {
            requestLimits = value;
            return this;
        }

        public ServiceConfig build() {
            return new ServiceConfig(role, grpcPort, metricsPort, temporalTarget, embeddedTemporalPort, namespace,
                    taskQueue, defaultPokeInterval, maxPokeInterval, defaultTimeout, fileRoots, connections, network,
                    rateLimits, sharedPokeWindow, shutdownGrace, temporalUiUrl, tls, temporalAccess, maxConcurrentCalls,
                    searchAttributes, requestLimits);
        }
    }
}
