package dev.sensorengine.runtime;

import dev.sensorengine.engine.PokeDefaults;
import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.events.EventSettings;
import dev.sensorengine.events.PushSettings;
import dev.sensorengine.events.SqsSettings;
import dev.sensorengine.facade.ConnectionSettings;
import dev.sensorengine.facade.ServerTls;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.network.NetworkPolicy;
import dev.sensorengine.workflow.poke.RateLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sensor-engine serve}: runs the connector until the process is stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the sensor connector: the flyteidl gRPC services, a Temporal worker and /metrics.%n"
                + "Every option can also be set with an environment variable SENSOR_ENGINE_<NAME>, "
                + "e.g. SENSOR_ENGINE_GRPC_PORT.")
public final class ServeCommand implements Callable<Integer> {

    /** How often the TLS certificate files are read again. */
    private static final Duration TLS_RELOAD = Duration.ofSeconds(30);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--role",
            paramLabel = "ROLE",
            defaultValue = "all",
            description = "all (API and worker), api (the gRPC API only) or worker (the Temporal worker only) "
                    + "(default: ${DEFAULT-VALUE}).")
    Role role;

    @Option(
            names = "--shutdown-grace",
            paramLabel = "DURATION",
            defaultValue = "20s",
            converter = DurationConverter.class,
            description =
                    "On SIGTERM, how long calls and pokes in flight may take to finish (default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text (one line per event) or json (one JSON object per line) (default: ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    @Option(
            names = "--grpc-port",
            paramLabel = "PORT",
            defaultValue = "8000",
            description = "gRPC port for propeller (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "9090",
            description = "Port of the Prometheus endpoint /metrics; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(
            names = "--temporal-target",
            paramLabel = "TARGET",
            defaultValue = TemporalSettings.LOCAL,
            description = "'local': the Temporal CLI's dev server as a child process, its state in SQLite under "
                    + "--state-dir and its UI on --temporal-ui-port (the in-memory server, with a warning, when no "
                    + "CLI is found); 'in-memory': the SDK's server in this process, state lost at exit; or host:port "
                    + "of a Temporal frontend (default: ${DEFAULT-VALUE}).")
    String temporalTarget;

    @Option(
            names = "--temporal-cli",
            paramLabel = "PATH",
            description = "The Temporal CLI that 'local' runs; by default the first 'temporal' on PATH, else "
                    + ".tools/venv/bin/temporal as scripts/tools.sh installs it.")
    Path temporalCli;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "sensor-engine-state",
            description = "Where the local Temporal server keeps its SQLite database and log (default: "
                    + "${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(
            names = "--local-temporal-port",
            paramLabel = "PORT",
            defaultValue = "7233",
            description = "Port of the local Temporal server's frontend on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int localTemporalPort;

    @Option(
            names = "--temporal-ui-port",
            paramLabel = "PORT",
            defaultValue = "8233",
            description = "Port of the local Temporal server's UI on 127.0.0.1; -1 serves none (default: "
                    + "${DEFAULT-VALUE}).")
    int temporalUiPort;

    @Option(
            names = "--namespace",
            paramLabel = "NAME",
            defaultValue = "default",
            description = "Temporal namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
            names = "--register-namespace",
            defaultValue = "false",
            description = "At start-up, register --namespace in the Temporal cluster with --namespace-retention unless "
                    + "it exists, and wait until Temporal serves it.")
    boolean registerNamespace;

    @Option(
            names = "--namespace-retention",
            paramLabel = "DURATION",
            defaultValue = "14d",
            converter = DurationConverter.class,
            description = "How long Temporal keeps a sensor's record after it ends, for a namespace that "
                    + "--register-namespace creates; at least --default-timeout, so that no sensor's record is gone "
                    + "before its deadline (default: ${DEFAULT-VALUE}).")
    Duration namespaceRetention;

    @Option(
            names = "--task-queue",
            paramLabel = "NAME",
            defaultValue = "flyte-sensors",
            description = "Temporal task queue of the sensor workers (default: ${DEFAULT-VALUE}).")
    String taskQueue;

    @Option(
            names = "--python-task-queue",
            paramLabel = "NAME",
            defaultValue = "flyte-sensors-python",
            description = "Temporal task queue of the pokes of sensors that no Java sensor claims, served by the "
                    + "Python sensor worker (sensor-engine-worker); '' turns Python sensors off, and such a sensor "
                    + "then fails as unknown (default: ${DEFAULT-VALUE}).")
    String pythonTaskQueue;

    @Option(
            names = "--default-poke-interval",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Poke interval when sensor_config sets none (default: ${DEFAULT-VALUE}).")
    Duration defaultPokeInterval;

    @Option(
            names = "--max-poke-interval",
            paramLabel = "DURATION",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description = "Cap of the interval under backoff when sensor_config sets none (default: ${DEFAULT-VALUE}).")
    Duration maxPokeInterval;

    @Option(
            names = "--default-timeout",
            paramLabel = "DURATION",
            defaultValue = "7d",
            converter = DurationConverter.class,
            description = "Sensor timeout when neither sensor_config nor the task metadata sets one "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration defaultTimeout;

    @Option(
            names = "--file-root",
            split = ",",
            paramLabel = "DIR",
            description = "Directory under which FileSensor may watch local paths; repeatable. "
                    + "With none, local paths are refused.")
    List<Path> fileRoots = new ArrayList<>();

    @Option(
            names = "--connections",
            paramLabel = "FILE",
            description = "YAML (or .properties) file of named connections: endpoints and credentials that sensors "
                    + "name in sensor_config, kept out of task templates.")
    Path connectionsFile;

    @Option(
            names = "--allow-network",
            split = ",",
            paramLabel = "CIDR",
            description = "Addresses that HTTP sensors and http(s) FileSensor paths may reach although they are "
                    + "loopback, link-local, private, CGNAT, unspecified or multicast, e.g. 10.20.0.0/16 or "
                    + "127.0.0.1/32; repeatable. Public addresses are always allowed; a connection's url is not "
                    + "checked.")
    List<String> allowNetworks = new ArrayList<>();

    @Option(
            names = "--rate-limit",
            paramLabel = "TARGET=N/s",
            description = "At most N pokes per second (or N/m per minute) against one target, a host or a bucket; "
                    + "a poke beyond it is deferred to its turn. Repeatable.")
    List<String> rateLimits = new ArrayList<>();

    @Option(
            names = "--shared-poke-window",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description = "Pokes of one target by one sensor type share a result this long; 0s shares only pokes in "
                    + "flight together (default: ${DEFAULT-VALUE}).")
    Duration sharedPokeWindow;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: serve gRPC over TLS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Option(
            names = "--tls-client-ca",
            paramLabel = "FILE",
            description = "PEM CA certificates: require client certificates they signed (mutual TLS).")
    Path tlsClientCa;

    @Option(names = "--temporal-tls-cert", paramLabel = "FILE", description = "Client certificate for Temporal (mTLS).")
    Path temporalTlsCert;

    @Option(names = "--temporal-tls-key", paramLabel = "FILE", description = "PKCS#8 key of --temporal-tls-cert.")
    Path temporalTlsKey;

    @Option(
            names = "--temporal-tls-ca",
            paramLabel = "FILE",
            description = "CA certificates Temporal's server certificate must chain to; turns TLS on.")
    Path temporalTlsCa;

    @Option(
            names = "--temporal-api-key",
            paramLabel = "KEY",
            description = "API key for Temporal Cloud; turns TLS on. Prefer SENSOR_ENGINE_TEMPORAL_API_KEY.")
    String temporalApiKey;

    @Option(
            names = "--max-concurrent-calls",
            paramLabel = "N",
            defaultValue = "100",
            description = "Calls of one RPC kind served at once; more are refused at once with RESOURCE_EXHAUSTED "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxConcurrentCalls;

    @Option(
            names = "--outage-grace",
            paramLabel = "DURATION",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description = "While Temporal has been unreachable this long at most, GetTask answers RUNNING saying the "
                    + "state is unknown, and readiness stays up; after it, GetTask is UNAVAILABLE and readiness "
                    + "down. 0s turns it off (default: ${DEFAULT-VALUE}).")
    Duration outageGrace;

    @Option(
            names = "--max-connection-age",
            paramLabel = "DURATION",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description = "Close each client connection politely (GOAWAY) after about this long (+/-10%), so that a "
                    + "client behind a Kubernetes Service reconnects and load spreads across replicas; 0s never "
                    + "closes one (default: ${DEFAULT-VALUE}).")
    Duration maxConnectionAge;

    @Option(
            names = "--max-connection-age-grace",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Calls in flight on a connection closed for its age get this long to finish "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration maxConnectionAgeGrace;

    @Option(
            names = "--keepalive-time",
            paramLabel = "DURATION",
            defaultValue = "1m",
            converter = DurationConverter.class,
            description = "Ping a client connection that has been quiet this long, to find dead peers and keep idle "
                    + "connections open through load balancers (default: ${DEFAULT-VALUE}).")
    Duration keepAliveTime;

    @Option(
            names = "--keepalive-timeout",
            paramLabel = "DURATION",
            defaultValue = "20s",
            converter = DurationConverter.class,
            description = "Close a connection whose ping is not answered within this (default: ${DEFAULT-VALUE}).")
    Duration keepAliveTimeout;

    @Option(
            names = "--permit-keepalive-time",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Accept client keepalive pings this often, with or without calls in flight (gateways and "
                    + "propeller ping idle connections); pings more often close the connection with "
                    + "ENHANCE_YOUR_CALM (default: ${DEFAULT-VALUE}).")
    Duration permitKeepAliveTime;

    @Option(
            names = "--search-attributes",
            defaultValue = "false",
            description =
                    "Register the Keyword search attributes FlyteExecution, FlyteSensor, SensorTarget, SensorBucket and SensorMatch in the "
                            + "namespace at start-up and set them on every sensor, to find sensors in the Temporal UI.")
    boolean searchAttributes;

    @Option(
            names = "--temporal-ui-url",
            paramLabel = "URL",
            description = "Base URL of the Temporal UI, for the log link of each sensor; by default the local "
                    + "server's UI, and no link for a remote Temporal.")
    String temporalUiUrl;

    @Option(
            names = "--events-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Port of the HTTP endpoint POST /events that stores push object notifications to (S3 and "
                    + "MinIO notifications, EventBridge, GCS through Pub/Sub push, CloudEvents); each wakes the "
                    + "sensors waiting for its object. Needs --events-token-file. 0 turns it off "
                    + "(default: ${DEFAULT-VALUE}).")
    int eventsPort;

    @Option(
            names = "--events-token-file",
            paramLabel = "FILE",
            description = "File holding the token that every push to --events-port must carry, as "
                    + "'Authorization: Bearer TOKEN' or as ?token=TOKEN in the URL.")
    Path eventsTokenFile;

    @Option(
            names = "--events-max-body-size",
            paramLabel = "SIZE",
            defaultValue = "256KiB",
            converter = ByteSizeConverter.class,
            description = "Largest pushed event body; larger ones are refused with 413 (default: ${DEFAULT-VALUE}).")
    int eventsMaxBodySize;

    @Option(
            names = "--events-sqs-queue",
            split = ",",
            paramLabel = "URL",
            description = "SQS queue to long-poll for S3 event notifications (S3 notifying the queue, directly or "
                    + "through SNS); repeatable. Region and credentials come from the AWS SDK's default chains.")
    List<String> eventsSqsQueues = new ArrayList<>();

    @Option(
            names = "--events-sqs-endpoint",
            paramLabel = "URL",
            description = "Another SQS endpoint than AWS's, e.g. a local emulator such as moto.")
    URI eventsSqsEndpoint;

    @Option(
            names = "--events-watch-files",
            defaultValue = "false",
            description = "Watch the --file-root directories (and those made below them later) for new files, so "
                    + "that a local FileSensor sees its file at once rather than at its next poke.")
    boolean eventsWatchFiles;

    @Option(
            names = RequestLimits.MAX_MESSAGE_SIZE,
            paramLabel = "SIZE",
            defaultValue = "4MiB",
            converter = ByteSizeConverter.class,
            description = "Largest gRPC message accepted (bytes, or e.g. 512KiB, 4MiB); gRPC refuses larger ones with "
                    + "RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
    int maxMessageSize;

    @Option(
            names = RequestLimits.MAX_INPUTS,
            paramLabel = "N",
            defaultValue = "64",
            description = "Most inputs (literals) one CreateTask may carry (default: ${DEFAULT-VALUE}).")
    int maxInputs;

    @Option(
            names = RequestLimits.MAX_INPUT_SIZE,
            paramLabel = "SIZE",
            defaultValue = "64KiB",
            converter = ByteSizeConverter.class,
            description = "Largest serialized input literal (default: ${DEFAULT-VALUE}).")
    int maxInputSize;

    @Option(
            names = RequestLimits.MAX_LITERAL_DEPTH,
            paramLabel = "N",
            defaultValue = "32",
            description = "Deepest nesting of an input (collections, maps, Structs) or of the task's custom field "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxLiteralDepth;

    @Option(
            names = RequestLimits.MAX_RESOURCE_META_SIZE,
            paramLabel = "SIZE",
            defaultValue = "256KiB",
            converter = ByteSizeConverter.class,
            description = "Largest resource_meta of Get, Delete, GetTaskLogs and GetTaskMetrics; at least "
                    + RequestLimits.MAX_SPEC_SIZE + " plus 16KiB (default: ${DEFAULT-VALUE}).")
    int maxResourceMetaSize;

    @Option(
            names = RequestLimits.MAX_SPEC_SIZE,
            paramLabel = "SIZE",
            defaultValue = "128KiB",
            converter = ByteSizeConverter.class,
            description = "Largest sensor spec (inputs and sensor_config as JSON) stored in Temporal "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxSpecSize;

    @Override
    public Integer call() throws Exception {
        logFormat.apply();
        HttpServerLimits.apply();
        SensorEngineService service = SensorEngineService.start(config());
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            service.close();
                            // A drained stop is a clean stop: exit 0 rather than the JVM's 143 for SIGTERM.
                            Runtime.getRuntime().halt(0);
                        },
                        "sensor-engine-shutdown"));
        service.awaitTermination();
        return 0;
    }

    ServiceConfig config() {
        requirePositive("--default-poke-interval", defaultPokeInterval);
        requirePositive("--max-poke-interval", maxPokeInterval);
        requirePositive("--default-timeout", defaultTimeout);
        Connections connections =
                connectionsFile == null ? Connections.none() : ConnectionsFile.load(connectionsFile, System::getenv);
        return new ServiceConfig(
                role,
                new TemporalSettings(
                        temporalTarget,
                        new LocalTemporalSettings(
                                Optional.ofNullable(temporalCli), stateDir, localTemporalPort, temporalUiPort),
                        namespace,
                        taskQueue,
                        pythonTaskQueue(),
                        temporalAccess(),
                        Optional.ofNullable(temporalUiUrl).filter(url -> !url.isBlank()),
                        searchAttributes,
                        namespaceRegistration()),
                new ApiSettings(
                        grpcPort, serverTls(), maxConcurrentCalls, requestLimits(), outageGrace, grpcConnections()),
                new PokeDefaults(defaultPokeInterval, maxPokeInterval, defaultTimeout),
                new WorkerSettings(
                        new SensorEnvironment(fileRoots, connections, network()), rateLimits(), sharedPokeWindow),
                events(),
                metricsPort,
                shutdownGrace);
    }

    /** The Python task queue, which must not be the service's own: Java workers would take Python pokes. */
    private String pythonTaskQueue() {
        String queue = pythonTaskQueue == null ? "" : pythonTaskQueue.trim();
        if (queue.equals(taskQueue)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--python-task-queue must differ from --task-queue (" + taskQueue + "): the service's workers "
                            + "would take the pokes of Python sensors and fail them as unknown");
        }
        return queue;
    }

    private RequestLimits requestLimits() {
        try {
            return new RequestLimits(
                    maxMessageSize, maxInputs, maxInputSize, maxLiteralDepth, maxResourceMetaSize, maxSpecSize);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Optional<Duration> namespaceRegistration() {
        if (!registerNamespace) {
            return Optional.empty();
        }
        if (namespaceRetention.compareTo(defaultTimeout) < 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--namespace-retention (" + namespaceRetention + ") must be at least --default-timeout ("
                            + defaultTimeout + "): a sensor whose record Temporal dropped before its deadline is "
                            + "started again when propeller asks about it");
        }
        return Optional.of(namespaceRetention);
    }

    private ConnectionSettings grpcConnections() {
        requirePositive("--keepalive-time", keepAliveTime);
        requirePositive("--keepalive-timeout", keepAliveTimeout);
        return new ConnectionSettings(
                maxConnectionAge, maxConnectionAgeGrace, keepAliveTime, keepAliveTimeout, permitKeepAliveTime);
    }

    private EventSettings events() {
        if (eventsPort != 0 && eventsTokenFile == null) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--events-port needs --events-token-file: the endpoint takes only requests that carry its token");
        }
        if (eventsPort == 0 && eventsTokenFile != null) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--events-token-file is for --events-port, which is not set");
        }
        if (eventsWatchFiles && fileRoots.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--events-watch-files watches the --file-root directories; give at least one");
        }
        for (String queue : eventsSqsQueues) {
            if (!queue.startsWith("https://") && !queue.startsWith("http://")) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--events-sqs-queue takes a queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME), not '"
                                + queue + "'");
            }
        }
        try {
            return new EventSettings(
                    eventsPort == 0
                            ? Optional.empty()
                            : Optional.of(new PushSettings(eventsPort, eventsTokenFile, eventsMaxBodySize)),
                    SqsSettings.of(eventsSqsQueues, Optional.ofNullable(eventsSqsEndpoint)),
                    eventsWatchFiles);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Optional<ServerTls> serverTls() {
        if (tlsCert == null && tlsKey == null) {
            if (tlsClientCa != null) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--tls-client-ca needs --tls-cert and --tls-key");
            }
            return Optional.empty();
        }
        if (tlsCert == null || tlsKey == null) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        return Optional.of(new ServerTls(tlsCert, tlsKey, Optional.ofNullable(tlsClientCa), TLS_RELOAD));
    }

    private TemporalAccess temporalAccess() {
        try {
            return new TemporalAccess(
                    Optional.ofNullable(temporalTlsCert),
                    Optional.ofNullable(temporalTlsKey),
                    Optional.ofNullable(temporalTlsCa),
                    Optional.ofNullable(temporalApiKey).filter(k -> !k.isBlank()));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void requirePositive(String option, Duration value) {
        if (value.isZero()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + " must be longer than 0");
        }
    }

    private NetworkPolicy network() {
        try {
            return NetworkPolicy.allowing(allowNetworks);
        } catch (IllegalArgumentException e) {
            // The message starts with the option's name.
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Map<String, Double> rateLimits() {
        Map<String, Double> limits = new TreeMap<>();
        for (String text : rateLimits) {
            try {
                var limit = RateLimits.parse(text);
                limits.put(limit.getKey(), limit.getValue());
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rate-limit: " + e.getMessage());
            }
        }
        return limits;
    }
}
