package dev.sensorengine.bench;

import dev.sensorengine.engine.SensorSearchAttributes;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.runtime.TemporalDevServer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the benchmark measures and where each part runs.
 *
 * <ul>
 *   <li>The production shape (the default): Temporal in a process of its own (the dev server the benchmark starts, or
 *       one given by address); the service as two processes of the built jar that reach it over the network, the API
 *       ({@code serve --role api}) and the worker ({@code serve --role worker}, started only while pokes are
 *       measured); flytekit's connector ({@code pyflyte serve connector}) in a process of its own. The benchmark's
 *       JVM is only the client and the watched system, and is charged to no side.
 *   <li>The in-process shape ({@code --temporal-target in-memory}): the service and the in-memory Temporal inside the
 *       benchmark's own JVM, as the benchmark ran before; its CPU figures include the client.
 *   <li>A running service given with {@code --target}: nothing started but flytekit's connector, no CPU figures.
 * </ul>
 */
final class Deployment implements AutoCloseable {

    static final String NAMESPACE = "default";
    static final String TASK_QUEUE = "flyte-sensors";
    private static final Duration START = Duration.ofSeconds(120);

    private final String shape;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, Object> description = new LinkedHashMap<>();
    private String temporalTarget;
    private Optional<MeasuredProcess> temporal = Optional.empty();
    private String serviceTarget;
    private Optional<EventsEndpoint> events = Optional.empty();
    private Optional<MeasuredProcess> api = Optional.empty();
    private Optional<String> peerTarget = Optional.empty();
    private Optional<MeasuredProcess> peer = Optional.empty();
    private boolean searchAttributes;
    /** How the worker is started and stopped; the running worker process, if one. */
    private WorkerControl workers = on -> {};

    private Optional<ChildProcess> workerProcess = Optional.empty();

    private Deployment(String shape) {
        this.shape = shape;
        description.put("shape", shape);
    }

    /** How the service's pokes are switched on and off. */
    private interface WorkerControl {
        void run(boolean on) throws IOException;
    }

    /**
     * The production shape.
     *
     * @param temporalCli the Temporal CLI, to start a dev server; empty when {@code temporalAddress} is given
     * @param temporalAddress a running Temporal's frontend, instead of a dev server started here
     * @param temporalPid that Temporal's process id, when it runs on this machine, for its CPU and memory
     * @param workDir where the dev server's database and the processes' logs go
     */
    static Deployment production(
            Optional<Path> temporalCli,
            Optional<String> temporalAddress,
            Optional<Long> temporalPid,
            Duration interval,
            Path workDir)
            throws IOException {
        Deployment d = new Deployment("production: Temporal, the service's API and its worker in processes of their"
                + " own, over the network");
        try {
            if (temporalAddress.isPresent()) {
                d.temporalTarget = temporalAddress.get();
                d.temporal = temporalPid.map(pid -> new MeasuredProcess("temporal", pid, false));
                d.description.put("temporal", d.temporalTarget);
            } else {
                Path cli = temporalCli.orElseThrow();
                TemporalDevServer server = TemporalDevServer.start(
                        cli,
                        workDir.resolve("temporal"),
                        NAMESPACE,
                        0,
                        -1,
                        List.copyOf(SensorSearchAttributes.definitions().keySet()),
                        START);
                d.resources.add(server);
                d.temporalTarget = server.target();
                d.temporal = Optional.of(new MeasuredProcess("temporal", server.pid(), false));
                d.description.put("temporal", cli + " server start-dev (SQLite) on " + server.target());
            }
            d.searchAttributes = true;
            ChildProcess apiProcess = d.startService("api", interval, workDir);
            d.serviceTarget = apiProcess.target();
            d.api = Optional.of(apiProcess.measured());
            d.description.put("api", String.join(" ", apiProcess.command()));
            d.workers = on -> {
                if (on && d.workerProcess.isEmpty()) {
                    ChildProcess worker = d.startService("worker", interval, workDir);
                    d.description.put("worker", String.join(" ", worker.command()));
                    d.workerProcess = Optional.of(worker);
                } else if (!on && d.workerProcess.isPresent()) {
                    d.workerProcess.get().close();
                    d.resources.remove(d.workerProcess.get());
                    d.workerProcess = Optional.empty();
                }
            };
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** The in-process shape: the service and the in-memory Temporal in this JVM. */
    static Deployment inProcess(Duration interval) throws IOException {
        Deployment d = new Deployment("in-process: the service and the in-memory Temporal in the benchmark's JVM");
        SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess(TASK_QUEUE)
                .pokeIntervals(interval, interval.multipliedBy(10))
                .defaultTimeout(Duration.ofDays(7))
                .allowNetworks(List.of("127.0.0.1/32"))
                .build());
        d.resources.add(service);
        d.temporalTarget = service.temporalTarget();
        d.serviceTarget = "127.0.0.1:" + service.grpcPort();
        MeasuredProcess self = MeasuredProcess.self("bench (service, worker, in-memory Temporal, client)");
        d.temporal = Optional.of(self);
        d.api = Optional.of(self);
        d.workerProcess = Optional.empty();
        d.workers = on -> service.pauseWorker(!on);
        d.description.put("temporal", "in-memory, in the benchmark's JVM");
        return d;
    }

    /** A running service and its Temporal, measured from outside: no processes of theirs to read. */
    static Deployment external(String serviceTarget, String temporalTarget) {
        Deployment d = new Deployment("external: a running service at " + serviceTarget);
        d.serviceTarget = serviceTarget;
        d.temporalTarget = temporalTarget;
        d.description.put("temporal", temporalTarget);
        return d;
    }

    /**
     * flytekit's connector, started from {@code pyflyte} in a process of its own; {@link #adoptPeer} makes it this
     * deployment's. It starts apart, so that it can start while the service does.
     */
    static ChildProcess startConnector(Path pyflyte, Path workDir) throws IOException {
        int port = ChildProcess.freePort();
        // Its Prometheus port defaults to 9090, the service's own default: always a free one of its own.
        int prometheus = ChildProcess.freePort();
        List<String> command = List.of(
                pyflyte.toString(),
                "serve",
                "connector",
                "--port",
                Integer.toString(port),
                "--prometheus_port",
                Integer.toString(prometheus));
        return ChildProcess.start("flytekit", command, Map.of(), workDir.resolve("flytekit"), port, false, START);
    }

    /** Takes over {@code connector}, to measure it and stop it with the rest. */
    void adoptPeer(ChildProcess connector) {
        resources.add(connector);
        peerTarget = Optional.of(connector.target());
        peer = Optional.of(connector.measured());
        description.put("flytekit", String.join(" ", connector.command()));
    }

    /** flytekit's connector running at {@code target}, its process {@code pid} when known. */
    void usePeer(String target, Optional<Long> pid) {
        peerTarget = Optional.of(target);
        peer = pid.map(p -> new MeasuredProcess("flytekit", p, false));
        description.put("flytekit", target);
    }

    private ChildProcess startService(String role, Duration interval, Path workDir) throws IOException {
        int port = ChildProcess.freePort();
        List<String> events = role.equals("api") ? eventsEndpoint(workDir) : List.of();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                absoluteClassPath(),
                "dev.sensorengine.Main",
                "serve",
                "--role",
                role,
                "--grpc-port",
                Integer.toString(port),
                "--metrics-port",
                "0",
                "--temporal-target",
                temporalTarget,
                "--namespace",
                NAMESPACE,
                "--task-queue",
                TASK_QUEUE,
                "--default-poke-interval",
                seconds(interval),
                "--max-poke-interval",
                seconds(interval.multipliedBy(10)),
                "--default-timeout",
                "7d",
                "--allow-network",
                "127.0.0.1/32",
                "--search-attributes"));
        command.addAll(events);
        ChildProcess child = ChildProcess.start(role, command, Map.of(), workDir.resolve(role), port, true, START);
        resources.add(child);
        return child;
    }

    /** The API's event push endpoint (the events phase), on a free port with a token of this run. */
    private List<String> eventsEndpoint(Path workDir) throws IOException {
        int port = ChildProcess.freePort();
        String token = UUID.randomUUID().toString();
        Path tokenFile = workDir.resolve("events-token");
        Files.createDirectories(workDir);
        Files.writeString(tokenFile, token);
        events = Optional.of(new EventsEndpoint(URI.create("http://127.0.0.1:" + port + "/events"), token));
        return List.of("--events-port", Integer.toString(port), "--events-token-file", tokenFile.toString());
    }

    /** Where the service takes pushed events, and the token it wants. */
    record EventsEndpoint(URI uri, String token) {}

    /** The service's event push endpoint; empty unless the service's API runs here as a process of its own. */
    Optional<EventsEndpoint> events() {
        return events;
    }

    private static String seconds(Duration d) {
        return Math.max(1, d.toSeconds()) + "s";
    }

    /** This JVM's class path with every entry absolute, as children run in other directories. */
    private static String absoluteClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    String shape() {
        return shape;
    }

    boolean inProcess() {
        return api.map(MeasuredProcess::isSelf).orElse(false);
    }

    /** Whether the processes of the service and of Temporal are apart, so each one's CPU can be read. */
    boolean processesApart() {
        return api.isPresent()
                && temporal.isPresent()
                && api.get().pid() != temporal.get().pid();
    }

    String temporalTarget() {
        return temporalTarget;
    }

    String serviceTarget() {
        return serviceTarget;
    }

    Optional<String> peerTarget() {
        return peerTarget;
    }

    boolean searchAttributes() {
        return searchAttributes;
    }

    /** Starts or stops the service's pokes: the worker process, or polling of the in-process worker. */
    void workers(boolean on) throws IOException {
        workers.run(on);
    }

    Optional<MeasuredProcess> temporal() {
        return temporal;
    }

    Optional<MeasuredProcess> api() {
        return api;
    }

    /** The worker's process while it runs; in the in-process shape, this JVM. */
    Optional<MeasuredProcess> worker() {
        return inProcess() ? api : workerProcess.map(ChildProcess::measured);
    }

    Optional<MeasuredProcess> peer() {
        return peer;
    }

    /** The processes that do a side's work, by what it does: e.g. the API and Temporal for create and get. */
    static List<MeasuredProcess> of(List<Optional<MeasuredProcess>> processes) {
        return processes.stream().flatMap(Optional::stream).toList();
    }

    Map<String, Object> description() {
        return description;
    }

    @Override
    public synchronized void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
        resources.clear();
    }
}
