package dev.sensorengine.facade;

import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.engine.SensorEngine;
import dev.sensorengine.flyteidl.service.AgentMetadataServiceGrpc;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server propeller talks to: the flyteidl agent services, gRPC health and server reflection. Without an
 * engine (a worker-only process) it serves health alone, for probes.
 */
public final class FacadeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FacadeServer.class);
    /** Health service name that is SERVING whenever the process serves at all. */
    public static final String LIVENESS = "liveness";

    private final Server server;
    private final HealthStatusManager health;
    private final List<String> services;
    private final Duration grace;

    private final List<Closeable> tlsReloaders;
    private final ScheduledExecutorService tlsExecutor;

    private FacadeServer(
            Server server,
            HealthStatusManager health,
            List<String> services,
            Duration grace,
            List<Closeable> tlsReloaders,
            ScheduledExecutorService tlsExecutor) {
        this.server = server;
        this.health = health;
        this.services = services;
        this.grace = grace;
        this.tlsReloaders = tlsReloaders;
        this.tlsExecutor = tlsExecutor;
    }

    /**
     * Starts serving on {@code port} (0 picks a free one).
     *
     * @param grace how long calls in flight may take to finish when the server stops
     * @param tls TLS (and mutual TLS) settings; plaintext when empty
     * @param maxConcurrentCalls calls of one RPC kind served at once; more are refused with RESOURCE_EXHAUSTED
     * @param limits what one request may carry: gRPC refuses larger messages with RESOURCE_EXHAUSTED, the service
     *     refuses CreateTask inputs over the literal limits with INVALID_ARGUMENT
     * @param connections how long a client connection lives and which keepalive pings are sent and accepted
     */
    public static FacadeServer start(
            int port,
            Optional<SensorEngine> engine,
            MeterRegistry metrics,
            Duration grace,
            Optional<ServerTls> tls,
            int maxConcurrentCalls,
            RequestLimits limits,
            ConnectionSettings connections)
            throws IOException {
        HealthStatusManager health = new HealthStatusManager();
        ScheduledExecutorService tlsExecutor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        List<Closeable> reloaders = new ArrayList<>();
        NettyServerBuilder builder;
        if (tls.isPresent()) {
            ServerTls.Loaded loaded = tls.get().load(tlsExecutor);
            reloaders.addAll(loaded.reloaders());
            builder = NettyServerBuilder.forPort(port, loaded.credentials());
        } else {
            builder = NettyServerBuilder.forPort(port);
        }
        manageConnections(builder, connections);
        builder.maxInboundMessageSize(limits.maxMessageSize())
                .intercept(new ConcurrencyLimits(maxConcurrentCalls))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        List<String> services = new ArrayList<>(List.of(HealthStatusManager.SERVICE_NAME_ALL_SERVICES));
        engine.ifPresent(sensors -> {
            builder.addService(UndecodableRequests.refusedClearly(
                            new SensorAgentService(sensors, new RequestMetrics(metrics), new CreateTaskChecks(limits))
                                    .bindService()))
                    .addService(UndecodableRequests.refusedClearly(new AgentMetadataService().bindService()));
            services.addAll(List.of(AsyncAgentServiceGrpc.SERVICE_NAME, AgentMetadataServiceGrpc.SERVICE_NAME));
        });
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot serve gRPC on port " + port + " (" + e.getMessage() + "); choose another with --grpc-port",
                    e);
        }
        FacadeServer facade = new FacadeServer(server, health, List.copyOf(services), grace, reloaders, tlsExecutor);
        facade.setServing(true);
        // Liveness: the process answers. Kubernetes restarts on this, not on readiness, which follows Temporal.
        health.setStatus(LIVENESS, ServingStatus.SERVING);
        return facade;
    }

    /** Connection age and keepalive; see {@link ConnectionSettings} for why each matters behind Kubernetes. */
    private static void manageConnections(NettyServerBuilder builder, ConnectionSettings connections) {
        if (connections.agesConnections()) {
            builder.maxConnectionAge(connections.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS)
                    .maxConnectionAgeGrace(connections.maxConnectionAgeGrace().toNanos(), TimeUnit.NANOSECONDS);
        }
        builder.keepAliveTime(connections.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(connections.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveTime(connections.permitKeepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveWithoutCalls(true);
    }

    /** Health for "" and for each service, as the Python connector reports it. */
    public void setServing(boolean serving) {
        services.forEach(
                service -> health.setStatus(service, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING));
    }

    public int port() {
        return server.getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Drains: health goes NOT_SERVING, new calls are refused, calls in flight get the grace period to finish. */
    @Override
    public void close() throws InterruptedException {
        setServing(false);
        health.enterTerminalState();
        server.shutdown();
        if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("gRPC calls still running after {}; cancelling them", grace);
            server.shutdownNow();
        }
        for (Closeable reloader : tlsReloaders) {
            try {
                reloader.close();
            } catch (IOException e) {
                log.debug("stopping a TLS reloader: {}", e.toString());
            }
        }
        tlsExecutor.shutdownNow();
    }
}
