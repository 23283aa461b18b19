package dev.sensorengine.runtime;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import dev.sensorengine.engine.EventWaker;
import dev.sensorengine.engine.LiveSensors;
import dev.sensorengine.engine.PendingPokeCounter;
import dev.sensorengine.engine.SensorEngine;
import dev.sensorengine.engine.SensorSearchAttributes;
import dev.sensorengine.engine.SensorWaker;
import dev.sensorengine.engine.TemporalOutage;
import dev.sensorengine.events.EventSettings;
import dev.sensorengine.events.EventSources;
import dev.sensorengine.facade.FacadeServer;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.SensorNames;
import dev.sensorengine.workflow.SensorWorkflow;
import dev.sensorengine.workflow.SensorWorkflowImpl;
import dev.sensorengine.workflow.poke.PokeActivityImpl;
import dev.sensorengine.workflow.poke.PokeRunner;
import dev.sensorengine.workflow.poke.RateLimits;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: Temporal (local or remote), the worker, the engine, the gRPC facade and the metrics
 * endpoint, started in that order and stopped in reverse.
 */
public final class SensorEngineService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SensorEngineService.class);
    /** How long one Temporal call made for a gRPC request may take; propeller's own deadline is 10 s. */
    private static final Duration TEMPORAL_CALL_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The longest any Temporal call made for a gRPC request may take. Each sets its own deadline from its caller's
     * (engine.CallBudget): a start may take all the caller's budget, which this default of the stubs, applied to
     * every call they send, must not cut short.
     */
    private static final Duration REQUEST_CALL_CEILING = Duration.ofSeconds(60);
    /** How often readiness (Temporal reachable, worker running) is checked. */
    private static final Duration READINESS_CHECK_EVERY = Duration.ofSeconds(2);
    /** How long the local dev server may take to answer; a cold start on a slow disk takes a few seconds. */
    private static final Duration DEV_SERVER_START = Duration.ofSeconds(60);
    /** How long a cluster may take to serve a namespace that --register-namespace registered. */
    private static final Duration NAMESPACE_READY = Duration.ofSeconds(60);
    /** How often the live-sensors gauge is counted from Temporal's visibility records. */
    private static final Duration LIVE_SENSORS_EVERY = Duration.ofSeconds(5);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    /** Since when Temporal has not answered: noted by the engine's calls and the readiness checks. */
    private final TemporalOutage outage = new TemporalOutage();

    private WorkerFactory workers;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private FacadeServer facade;
    private MetricsServer metricsServer;
    private EventSources eventSources;
    private String temporalTarget;
    private EventWaker eventWaker;

    private SensorEngineService() {}

    /** Starts everything {@code config} asks for; on failure, stops what had started and rethrows. */
    public static SensorEngineService start(ServiceConfig config) throws IOException {
        return start(config, Optional.empty());
    }

    /**
     * Starts everything {@code config} asks for, its event sources handing their events to {@code eventWaker}; on
     * failure, stops what had started and rethrows.
     *
     * @param eventWaker what wakes the sensors an event names; empty for the engine's own ({@link #eventWaker()})
     */
    public static SensorEngineService start(ServiceConfig config, Optional<EventWaker> eventWaker) throws IOException {
        SensorEngineService service = new SensorEngineService();
        try {
            service.startAll(config);
            service.startEvents(config, eventWaker);
            return service;
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private void startAll(ServiceConfig config) throws IOException {
        bindJvmMetrics();
        TemporalSettings temporal = config.temporal();
        LocalTemporal server = temporal.runsServer() ? startLocalTemporal(temporal) : null;
        temporalTarget = server == null ? temporal.target() : server.target();
        // A local dev server registers the search attributes itself, so its sensors can always be found.
        boolean searchAttributes = temporal.searchAttributes() || server instanceof TemporalDevServer;
        String uiUrl = temporal.uiUrl()
                .or(() -> server == null ? Optional.empty() : server.uiUrl())
                .orElse("");
        Scope sdkMetrics = startSdkMetrics();
        // Two connections: the worker keeps the SDK's patient retries, while calls made for a gRPC request give up
        // within the caller's budget, so propeller sees UNAVAILABLE instead of a deadline it cannot explain.
        WorkflowServiceStubs workerStubs = connect(temporal, server, sdkMetrics, false);
        WorkflowServiceStubs requestStubs = connect(temporal, server, sdkMetrics, true);
        WorkflowClientOptions clientOptions = WorkflowClientOptions.newBuilder()
                .setNamespace(temporal.namespace())
                .setDataConverter(Json.dataConverter())
                .build();
        if (server == null && temporal.registerNamespace().isPresent()) {
            NamespaceRegistration.ensure(
                    requestStubs,
                    temporal.namespace(),
                    temporal.registerNamespace().get(),
                    config.pokeDefaults().timeout(),
                    NAMESPACE_READY);
        }
        if (searchAttributes) {
            // Also on the dev server, which registers its --search-attribute flags only when it creates the database.
            registerSearchAttributes(temporal, server == null ? temporal.access() : TemporalAccess.PLAINTEXT);
        }
        SensorRegistry sensors = SensorRegistry.load();
        resources.push(sensors); // closed after the worker has stopped: SqlSensor's connection pools
        workers = config.role().runsWorker()
                ? startWorker(config, WorkflowClient.newInstance(workerStubs, clientOptions), sensors)
                : null;
        Optional<SensorEngine> engine = Optional.empty();
        if (config.role().servesApi()) {
            WorkflowClient client = WorkflowClient.newInstance(requestStubs, clientOptions);
            engine = Optional.of(new SensorEngine(
                    client,
                    config.engineSettings(TEMPORAL_CALL_TIMEOUT, uiUrl, searchAttributes),
                    sensors,
                    Clock.systemUTC(),
                    outage));
            // The event sources count what each event did (sensor_event_sensors_total) from its WakeReport.
            eventWaker = new SensorWaker(
                    client, config.engineSettings(TEMPORAL_CALL_TIMEOUT, uiUrl, searchAttributes), sensors);
            startLiveSensorsGauge(client, temporal.namespace(), sensors);
        }
        startApi(config, engine, requestStubs);
        if (config.metricsPort() != 0) {
            metricsServer = MetricsServer.start(config.metricsPort(), metrics);
            resources.push(metricsServer);
        }
        logStarted(config);
    }

    /**
     * The event sources, started last and so stopped first: no event is taken once the engine has begun to stop,
     * and those under way are delivered within the shutdown grace.
     */
    private void startEvents(ServiceConfig config, Optional<EventWaker> eventWaker) throws IOException {
        EventSettings events = config.events();
        if (!events.enabled()) {
            return;
        }
        // A waker given by the caller (tests record events with one), else the engine's own.
        EventWaker waker = eventWaker
                .or(() -> Optional.ofNullable(this.eventWaker))
                .orElseThrow(() -> new IllegalStateException("event sources are configured (--events-port, "
                        + "--events-sqs-queue or --events-watch-files) but this process serves no API, which finds "
                        + "the sensors an event wakes; start it with --role all or api"));
        eventSources = EventSources.start(
                events,
                config.worker().sensorAccess().fileRoots(),
                waker,
                metrics,
                Clock.systemUTC(),
                config.shutdownGrace());
        resources.push(eventSources);
    }

    private void bindJvmMetrics() {
        new ClassLoaderMetrics().bindTo(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
    }

    /**
     * The Temporal server this process runs: the CLI's dev server (durable, with its UI) when {@code local} finds the
     * CLI, else the in-memory one, which loses every sensor when the process stops and says so.
     */
    private LocalTemporal startLocalTemporal(TemporalSettings temporal) throws IOException {
        LocalTemporalSettings local = temporal.local();
        if (temporal.target().equals(TemporalSettings.LOCAL)) {
            Path workingDirectory = Path.of("").toAbsolutePath();
            Optional<Path> cli =
                    TemporalCli.find(local.cli(), System::getenv, workingDirectory, TemporalCli.jarDirectory());
            if (cli.isPresent()) {
                TemporalDevServer server = TemporalDevServer.start(
                        cli.get(),
                        local.stateDir(),
                        temporal.namespace(),
                        local.port(),
                        local.uiPort(),
                        List.copyOf(SensorSearchAttributes.definitions().keySet()),
                        DEV_SERVER_START);
                resources.push(server);
                return server;
            }
            log.warn(
                    "No Temporal CLI found (looked for {}): using the IN-MEMORY Temporal server instead. Every sensor "
                            + "is lost when this process stops, and there is no Temporal UI. To fix it, run "
                            + "scripts/tools.sh (it installs the CLI into .tools/) and start again, or pass "
                            + "--temporal-cli PATH.",
                    TemporalCli.candidates(System::getenv, workingDirectory, TemporalCli.jarDirectory()));
        }
        InMemoryTemporal server = InMemoryTemporal.start(InetAddress.getLoopbackAddress(), local.port());
        resources.push(server);
        log.warn(
                "Using the IN-MEMORY Temporal server on {}: sensor state is kept in memory and lost when this "
                        + "process stops. Use --temporal-target local (with the Temporal CLI) or host:port for a "
                        + "durable Temporal.",
                server.target());
        return server;
    }

    /** The Temporal SDK's own metrics, reported into the same Prometheus registry. */
    private Scope startSdkMetrics() {
        Scope scope = new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(metrics))
                .reportEvery(com.uber.m3.util.Duration.ofSeconds(10));
        resources.push(scope);
        return scope;
    }

    /**
     * A connection to Temporal; one for requests sends calls whose deadlines come from their callers, and retries
     * the SDK's own calls within {@link #TEMPORAL_CALL_TIMEOUT}.
     */
    private WorkflowServiceStubs connect(
            TemporalSettings temporal, LocalTemporal server, Scope sdkMetrics, boolean forRequests) throws IOException {
        WorkflowServiceStubsOptions.Builder options =
                connection(temporal, server).setMetricsScope(sdkMetrics);
        if (forRequests) {
            options.setRpcTimeout(REQUEST_CALL_CEILING)
                    .setRpcRetryOptions(RpcRetryOptions.newBuilder()
                            .setExpiration(TEMPORAL_CALL_TIMEOUT)
                            .validateBuildWithDefaults());
        }
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options.build());
        resources.push(stubs::shutdown);
        return stubs;
    }

    /** A server in this process through its in-process channel, or the target over the network with TLS and key. */
    private WorkflowServiceStubsOptions.Builder connection(TemporalSettings temporal, LocalTemporal server)
            throws IOException {
        Optional<ManagedChannel> inProcess = server == null ? Optional.empty() : server.inProcessChannel();
        if (inProcess.isPresent()) {
            ManagedChannel channel = inProcess.get();
            resources.push(channel::shutdownNow);
            return WorkflowServiceStubsOptions.newBuilder().setChannel(channel);
        }
        if (server != null) {
            return WorkflowServiceStubsOptions.newBuilder().setTarget(temporalTarget);
        }
        return temporal.access()
                .applyTo(WorkflowServiceStubsOptions.newBuilder())
                .setTarget(temporalTarget);
    }

    /** Registers the sensor search attributes in the namespace; already registered ones are fine. */
    private void registerSearchAttributes(TemporalSettings temporal, TemporalAccess access) throws IOException {
        OperatorServiceStubs operator =
                OperatorServiceStubs.newServiceStubs(access.applyTo(OperatorServiceStubsOptions.newBuilder())
                        .setTarget(temporalTarget)
                        .validateAndBuildWithDefaults());
        try {
            // One by one: a namespace registered by an earlier build has some of them, and a request naming one that
            // exists is refused whole.
            SensorSearchAttributes.definitions().forEach((name, type) -> {
                try {
                    operator.blockingStub()
                            .withDeadlineAfter(TEMPORAL_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                                    .setNamespace(temporal.namespace())
                                    .putSearchAttributes(name, type)
                                    .build());
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                        throw new IllegalStateException(
                                "cannot register the search attribute " + name + " in namespace "
                                        + temporal.namespace()
                                        + " (" + e.getStatus().getCode() + " "
                                        + e.getStatus().getDescription()
                                        + "); register "
                                        + SensorSearchAttributes.definitions().keySet()
                                        + " with the Temporal CLI or start without --search-attributes",
                                e);
                    }
                }
            });
        } finally {
            operator.shutdownNow();
        }
    }

    private void startLiveSensorsGauge(WorkflowClient client, String namespace, SensorRegistry sensors) {
        resources.push(new LiveSensorsGauge(
                new LiveSensors(client, namespace, TEMPORAL_CALL_TIMEOUT),
                new SensorNames(sensors.names()),
                metrics,
                LIVE_SENSORS_EVERY));
    }

    /** The gRPC facade, and the readiness that follows Temporal and the worker. */
    private void startApi(ServiceConfig config, Optional<SensorEngine> engine, WorkflowServiceStubs requestStubs)
            throws IOException {
        ApiSettings api = config.api();
        facade = FacadeServer.start(
                api.grpcPort(),
                engine,
                metrics,
                config.shutdownGrace(),
                api.tls(),
                api.maxConcurrentCalls(),
                api.requestLimits(),
                api.connections());
        resources.push(facade);
        resources.push(new Readiness(
                facade,
                requestStubs,
                () -> workers == null || (workers.isStarted() && !workers.isShutdown()),
                outage,
                api.outageGrace(),
                READINESS_CHECK_EVERY));
    }

    private void logStarted(ServiceConfig config) {
        SensorEnvironment access = config.worker().sensorAccess();
        log.info(
                "Sensor Engine ({} role) serving gRPC on port {}, metrics {}, Temporal {} namespace {} task queue {}, "
                        + "file roots {}, connections {}, network {}",
                config.role().name().toLowerCase(Locale.ROOT),
                facade.port(),
                metricsServer == null ? "off" : "on port " + metricsServer.port(),
                temporalTarget,
                config.temporal().namespace(),
                config.temporal().taskQueue(),
                access.fileRoots(),
                access.connections().names(),
                access.network());
    }

    /** The Temporal worker: polls the task queue for sensor workflows and pokes; drains within the grace period. */
    private WorkerFactory startWorker(ServiceConfig config, WorkflowClient client, SensorRegistry sensors) {
        // (Almost) no workflow cache: a sensor workflow runs a workflow task only at its start and its end, and a
        // cached workflow holds a parked thread. The SDK reads a cache size of 0 as "default" (600), which kept a
        // thread
        // per idle sensor and, after Temporal lost its state, one per forgotten run; 1 is the smallest real cache.
        WorkerFactory workers = WorkerFactory.newInstance(
                client,
                WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(1).build());
        Worker worker = workers.newWorker(config.temporal().taskQueue());
        SensorNames names = new SensorNames(sensors.names());
        worker.registerWorkflowImplementationFactory(SensorWorkflow.class, () -> new SensorWorkflowImpl(names));
        WorkerSettings settings = config.worker();
        PokeRunner pokes = new PokeRunner(
                sensors,
                settings.sensorAccess(),
                RateLimits.of(settings.rateLimits()),
                settings.sharedPokeWindow(),
                metrics);
        worker.registerActivitiesImplementations(
                new PokeActivityImpl(pokes, metrics, Clock.systemUTC()),
                // The local activity through which a woken sensor learns its pending poke's count.
                new PendingPokeCounter(client, TEMPORAL_CALL_TIMEOUT));
        try {
            workers.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot reach Temporal at " + temporalTarget + " (namespace "
                            + config.temporal().namespace() + "): " + e.getMessage()
                            + "; check --temporal-target and --namespace",
                    e);
        }
        resources.push(() -> {
            // Stop polling; pokes under way may finish. One cut off later is retried by Temporal, not lost.
            workers.shutdown();
            workers.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
            if (!workers.isTerminated()) {
                log.warn("pokes still running after {}; stopping them (Temporal retries them)", config.shutdownGrace());
                workers.shutdownNow();
            }
        });
        return workers;
    }

    public int grpcPort() {
        return facade.port();
    }

    /** The port of the event push endpoint, when it runs. */
    public Optional<Integer> eventsPort() {
        return eventSources == null ? Optional.empty() : eventSources.pushPort();
    }

    /** The metrics port, or 0 when the endpoint is off. */
    public int metricsPort() {
        return metricsServer == null ? 0 : metricsServer.port();
    }

    /**
     * What event sources hand their events to: wakes the waiting sensors an event concerns. Empty in a process that
     * serves no API (a worker only).
     */
    public Optional<EventWaker> eventWaker() {
        return Optional.ofNullable(eventWaker);
    }

    public String temporalTarget() {
        return temporalTarget;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /**
     * Stops or resumes taking workflow and activity tasks, leaving the API up. The benchmark measures the API alone
     * this way, so that neither side it compares is charged for the other's pokes.
     */
    public void pauseWorker(boolean paused) {
        if (workers == null) {
            return;
        }
        if (paused) {
            workers.suspendPolling();
        } else {
            workers.resumePolling();
        }
    }

    /** Blocks until the gRPC server has stopped. */
    public void awaitTermination() throws InterruptedException {
        facade.awaitTermination();
    }

    @Override
    public void close() {
        if (resources.isEmpty()) {
            return;
        }
        log.info("Sensor Engine stopping");
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                log.warn("error while stopping: {}", e.toString());
            }
        }
        log.info("Sensor Engine stopped");
    }
}
