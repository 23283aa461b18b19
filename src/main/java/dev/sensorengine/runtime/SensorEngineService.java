package dev.sensorengine.runtime;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import dev.sensorengine.engine.EngineSettings;
import dev.sensorengine.engine.SensorEngine;
import dev.sensorengine.facade.FacadeServer;
import dev.sensorengine.sensors.PokeRunner;
import dev.sensorengine.sensors.RateLimits;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.PokeActivityImpl;
import dev.sensorengine.workflow.SensorWorkflowImpl;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: Temporal (embedded or remote), the worker, the engine, the gRPC facade and the metrics
 * endpoint, started in that order and stopped in reverse.
 */
public final class SensorEngineService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SensorEngineService.class);
    /** How long one Temporal call made for a gRPC request may take; propeller's own deadline is 10 s. */
    private static final Duration TEMPORAL_CALL_TIMEOUT = Duration.ofSeconds(5);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private FacadeServer facade;
    private MetricsServer metricsServer;
    private String temporalTarget;

    private SensorEngineService() {
    }

    /** Starts everything {@code config} asks for; on failure, stops what had started and rethrows. */
    public static SensorEngineService start(ServiceConfig config) throws IOException {
        SensorEngineService service = new SensorEngineService();
        try {
            service.startAll(config);
            return service;
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private void startAll(ServiceConfig config) throws IOException {
        new ClassLoaderMetrics().bindTo(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);

        temporalTarget = config.temporalTarget();
        if (config.embedded()) {
            EmbeddedTemporal embedded = EmbeddedTemporal.start(InetAddress.getLoopbackAddress(), config.embeddedTemporalPort());
            resources.push(embedded);
            temporalTarget = embedded.target();
            log.warn("Using the EMBEDDED Temporal server on {}: sensor state is kept in memory and lost when this "
                    + "process stops. Use --temporal-target host:port for a durable Temporal cluster.", temporalTarget);
        }

        Scope scope = new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(metrics))
                .reportEvery(com.uber.m3.util.Duration.ofSeconds(10));
        resources.push(scope);
        // Two connections: the worker keeps the SDK's patient retries, while calls made for a gRPC request give up
        // within the caller's budget, so propeller sees UNAVAILABLE instead of a deadline it cannot explain.
        WorkflowServiceStubs workerStubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporalTarget)
                .setMetricsScope(scope)
                .build());
        resources.push(workerStubs::shutdown);
        WorkflowServiceStubs requestStubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporalTarget)
                .setMetricsScope(scope)
                .setRpcTimeout(TEMPORAL_CALL_TIMEOUT)
                .setRpcRetryOptions(RpcRetryOptions.newBuilder().setExpiration(TEMPORAL_CALL_TIMEOUT).validateBuildWithDefaults())
                .build());
        resources.push(requestStubs::shutdown);
        WorkflowClientOptions clientOptions = WorkflowClientOptions.newBuilder()
                .setNamespace(config.namespace())
                .setDataConverter(Json.dataConverter())
                .build();

        WorkerFactory workers = WorkerFactory.newInstance(WorkflowClient.newInstance(workerStubs, clientOptions));
        Worker worker = workers.newWorker(config.taskQueue());
        worker.registerWorkflowImplementationTypes(SensorWorkflowImpl.class);
        SensorRegistry sensors = SensorRegistry.load();
        resources.push(sensors); // closed after the worker has stopped: SqlSensor's connection pools
        PokeRunner pokes = new PokeRunner(sensors, new SensorEnvironment(config.fileRoots(), config.connections()),
                RateLimits.of(config.rateLimits()), config.sharedPokeWindow(), metrics);
        worker.registerActivitiesImplementations(new PokeActivityImpl(pokes, metrics, Clock.systemUTC()));
        try {
            workers.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach Temporal at " + temporalTarget + " (namespace "
                    + config.namespace() + "): " + e.getMessage() + "; check --temporal-target and --namespace", e);
        }
        resources.push(() -> {
            workers.shutdown();
            workers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        });

        SensorEngine engine = new SensorEngine(WorkflowClient.newInstance(requestStubs, clientOptions), new EngineSettings(config.namespace(), config.taskQueue(),
                config.defaultPokeInterval(), config.maxPokeInterval(), config.defaultTimeout(), config.temporalUiUrl(),
                TEMPORAL_CALL_TIMEOUT), sensors, Clock.systemUTC());
        facade = FacadeServer.start(config.grpcPort(), engine, metrics);
        resources.push(facade);

        if (config.metricsPort() != 0) {
            metricsServer = MetricsServer.start(config.metricsPort(), metrics);
            resources.push(metricsServer);
        }
        log.info("Sensor Engine serving gRPC on port {}, metrics {}, Temporal {} namespace {} task queue {}, file roots {}, connections {}",
                facade.port(), metricsServer == null ? "off" : "on port " + metricsServer.port(), temporalTarget,
                config.namespace(), config.taskQueue(), config.fileRoots(), config.connections().names());
    }

    public int grpcPort() {
        return facade.port();
    }

    /** The metrics port, or 0 when the endpoint is off. */
    public int metricsPort() {
        return metricsServer == null ? 0 : metricsServer.port();
    }

    public String temporalTarget() {
        return temporalTarget;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
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
