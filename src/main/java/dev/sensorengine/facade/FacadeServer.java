package dev.sensorengine.facade;

import dev.sensorengine.engine.SensorEngine;
import dev.sensorengine.flyteidl.service.AgentMetadataServiceGrpc;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The gRPC server propeller talks to: the flyteidl agent services, gRPC health and server reflection. */
public final class FacadeServer implements AutoCloseable {

    private final Server server;
    private final HealthStatusManager health;

    private FacadeServer(Server server, HealthStatusManager health) {
        this.server = server;
        this.health = health;
    }

    /** Starts serving on {@code port} (0 picks a free one). */
    public static FacadeServer start(int port, SensorEngine engine, MeterRegistry metrics) throws IOException {
        HealthStatusManager health = new HealthStatusManager();
        Server server = NettyServerBuilder.forPort(port)
                .addService(new SensorAgentService(engine, new RequestMetrics(metrics)))
                .addService(new AgentMetadataService())
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new IOException("cannot serve gRPC on port " + port + " (" + e.getMessage()
                    + "); choose another with --grpc-port", e);
        }
        // Serving for "" and for each service, as the Python connector does.
        for (String service : List.of(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                AsyncAgentServiceGrpc.SERVICE_NAME, AgentMetadataServiceGrpc.SERVICE_NAME)) {
            health.setStatus(service, ServingStatus.SERVING);
        }
        return new FacadeServer(server, health);
    }

    public int port() {
        return server.getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() throws InterruptedException {
        health.enterTerminalState();
        server.shutdown();
        if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
    }
}
