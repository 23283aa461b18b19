package dev.sensorengine.testing;

import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The service started in this JVM with a plaintext gRPC channel to its port, as propeller reaches it: what most
 * end-to-end tests start before their first call and close after their last.
 */
public final class ServiceUnderTest implements AutoCloseable {

    private final SensorEngineService service;
    private final ManagedChannel channel;

    private ServiceUnderTest(SensorEngineService service, ManagedChannel channel) {
        this.service = service;
        this.channel = channel;
    }

    /** Starts the service and opens a channel with gRPC's defaults (propeller keeps the 4 MiB inbound limit too). */
    public static ServiceUnderTest start(ServiceConfig config) throws IOException {
        return start(config, UnaryOperator.identity());
    }

    /** Starts the service and opens a channel that {@code channelOptions} may change, e.g. its inbound limit. */
    public static ServiceUnderTest start(ServiceConfig config, UnaryOperator<NettyChannelBuilder> channelOptions)
            throws IOException {
        SensorEngineService service = SensorEngineService.start(config);
        ManagedChannel channel = channelOptions
                .apply(NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                        .usePlaintext())
                .build();
        return new ServiceUnderTest(service, channel);
    }

    public SensorEngineService service() {
        return service;
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** A blocking stub of the agent service on the channel, without a deadline. */
    public AsyncAgentServiceBlockingStub agent() {
        return AsyncAgentServiceGrpc.newBlockingStub(channel);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } finally {
            service.close();
        }
    }
}
