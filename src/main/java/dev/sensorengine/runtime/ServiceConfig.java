package dev.sensorengine.runtime;

import dev.sensorengine.engine.EngineSettings;
import dev.sensorengine.engine.PokeDefaults;
import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.events.EventSettings;
import dev.sensorengine.facade.ConnectionSettings;
import dev.sensorengine.facade.ServerTls;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.network.NetworkPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of {@code serve}, in groups named for what they configure.
 *
 * @param role what this process runs: the API, the worker, or both
 * @param temporal how to reach Temporal and where sensors live there
 * @param api the gRPC API propeller calls
 * @param pokeDefaults the poke policy a task leaves open
 * @param worker how the worker pokes and what sensors may reach
 * @param events the event sources that wake sensors early: HTTP push, SQS queues, the file watch
 * @param metricsPort port of the Prometheus endpoint; 0 turns it off
 * @param shutdownGrace how long calls and pokes in flight may take to finish on stop
 */
public record ServiceConfig(
        Role role,
        TemporalSettings temporal,
        ApiSettings api,
        PokeDefaults pokeDefaults,
        WorkerSettings worker,
        EventSettings events,
        int metricsPort,
        Duration shutdownGrace) {

    public ServiceConfig {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(temporal, "temporal");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(pokeDefaults, "pokeDefaults");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    /**
     * The engine's settings, drawn from these groups and from what the running server turned out to be.
     *
     * @param uiUrl the Temporal UI for log links; empty for none
     * @param searchAttributes whether sensor workflows carry the search attributes
     */
    public EngineSettings engineSettings(Duration temporalCallTimeout, String uiUrl, boolean searchAttributes) {
        return new EngineSettings(
                temporal.namespace(),
                temporal.taskQueue(),
                pokeDefaults,
                uiUrl,
                temporalCallTimeout,
                searchAttributes,
                api.requestLimits(),
                api.outageGrace(),
                temporal.pythonTaskQueue());
    }

    /**
     * A builder for a service inside another program (the benchmark, tests): the in-memory Temporal, every port
     * picked by the system, metrics off, no file roots or connections, public addresses only. {@code serve} sets
     * every field from its options.
     */
    public static Builder inProcess(String taskQueue) {
        return new Builder(taskQueue);
    }

    /** Settings of {@link #inProcess}, each changeable before {@link #build()}. */
    public static final class Builder {
        private Role role = Role.ALL;
        private int metricsPort;
        private String temporalTarget = TemporalSettings.IN_MEMORY;
        private String namespace = "default";
        private final String taskQueue;
        private String pythonTaskQueue = "";
        private Duration defaultPokeInterval = Duration.ofSeconds(1);
        private Duration maxPokeInterval = Duration.ofSeconds(5);
        private Duration defaultTimeout = Duration.ofHours(1);
        private List<Path> fileRoots = List.of();
        private Connections connections = Connections.none();
        private NetworkPolicy network = NetworkPolicy.publicOnly();
        private Optional<String> temporalUiUrl = Optional.of("http://localhost:8080");
        private Optional<ServerTls> tls = Optional.empty();
        private TemporalAccess temporalAccess = TemporalAccess.PLAINTEXT;
        private int maxConcurrentCalls = 100;
        private boolean searchAttributes;
        private RequestLimits requestLimits = RequestLimits.DEFAULTS;
        private ConnectionSettings grpcConnections = ConnectionSettings.DEFAULTS;
        private Optional<Duration> registerNamespace = Optional.empty();
        private Map<String, Double> rateLimits = Map.of();
        private Duration outageGrace = Duration.ofMinutes(10);
        private Duration sharedPokeWindow = Duration.ofSeconds(1);
        private EventSettings events = EventSettings.OFF;

        private Builder(String taskQueue) {
            this.taskQueue = taskQueue;
        }

        /**
         * As {@code --python-task-queue}: where the pokes of sensors that no Java sensor claims go. Off (empty) by
         * default here, since nothing polls it unless the caller starts a Python worker.
         */
        public Builder pythonTaskQueue(String value) {
            pythonTaskQueue = value;
            return this;
        }

        public Builder role(Role value) {
            role = value;
            return this;
        }

        public Builder metricsPort(int value) {
            metricsPort = value;
            return this;
        }

        public Builder namespace(String value) {
            namespace = value;
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
            temporalUiUrl = Optional.of(value);
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

        public Builder outageGrace(Duration value) {
            outageGrace = value;
            return this;
        }

        public Builder requestLimits(RequestLimits value) {
            requestLimits = value;
            return this;
        }

        /** Register the namespace with this retention unless it exists, as {@code --register-namespace}. */
        public Builder registerNamespace(Duration retention) {
            registerNamespace = Optional.of(retention);
            return this;
        }

        /** Connection age and keepalive of the gRPC server. */
        public Builder grpcConnections(ConnectionSettings value) {
            grpcConnections = value;
            return this;
        }

        /** Pokes per second by target, as {@code --rate-limit}. */
        public Builder rateLimits(Map<String, Double> value) {
            rateLimits = Map.copyOf(value);
            return this;
        }

        /** As {@code --shared-poke-window}: how long one poke's result is shared by identical pokes. */
        public Builder sharedPokeWindow(Duration value) {
            sharedPokeWindow = value;
            return this;
        }

        /** The event sources to run; they need an event waker given to {@link SensorEngineService#start}. */
        public Builder events(EventSettings value) {
            events = value;
            return this;
        }

        public ServiceConfig build() {
            return new ServiceConfig(
                    role,
                    new TemporalSettings(
                            temporalTarget,
                            new LocalTemporalSettings(Optional.empty(), Path.of("sensor-engine-state"), 0, -1),
                            namespace,
                            taskQueue,
                            pythonTaskQueue,
                            temporalAccess,
                            temporalUiUrl,
                            searchAttributes,
                            registerNamespace),
                    new ApiSettings(0, tls, maxConcurrentCalls, requestLimits, outageGrace, grpcConnections),
                    new PokeDefaults(defaultPokeInterval, maxPokeInterval, defaultTimeout),
                    new WorkerSettings(
                            new SensorEnvironment(fileRoots, connections, network), rateLimits, sharedPokeWindow),
                    events,
                    metricsPort,
                    Duration.ofSeconds(5));
        }
    }
}
