package dev.sensorengine.runtime;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An in-process Temporal server: the Java SDK's test server with time skipping off, listening on one address
 * (loopback by default). State lives in memory and is gone when the process ends.
 *
 * <p>The SDK's own {@code TestServer.createPortBoundServer} binds every interface, so the services are mounted
 * on our own Netty server instead; that uses two public classes of the SDK's {@code internal} package, pinned
 * by the Temporal version in the pom.
 *
 * <p>The same services are also mounted on an in-process gRPC server, which this process's own client and worker
 * use: calls then skip the socket, HTTP/2 framing and protobuf encoding, and the port serves everything else
 * (the UI, the CLI, other processes).
 */
public final class InMemoryTemporal implements LocalTemporal {

    private final TestServicesStarter services;
    private final Server server;
    private final Server inProcess;
    private final String inProcessName;

    private InMemoryTemporal(TestServicesStarter services, Server server, Server inProcess, String inProcessName) {
        this.services = services;
        this.server = server;
        this.inProcess = inProcess;
        this.inProcessName = inProcessName;
    }

    /** Starts the server on {@code address:port}; port 0 picks a free one. */
    public static InMemoryTemporal start(InetAddress address, int port) throws IOException {
        // lockTimeSkipping = true: time runs at wall-clock speed, as a real server's does.
        TestServicesStarter services = new TestServicesStarter(true, 0);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(address, port));
        GRPCServerHelper.registerServicesAndHealthChecks(
                services.getServices(), builder, List.of(new NoStickyQueues()));
        String inProcessName = InProcessServerBuilder.generateName();
        InProcessServerBuilder inProcessBuilder = InProcessServerBuilder.forName(inProcessName);
        GRPCServerHelper.registerServicesAndHealthChecks(
                services.getServices(), inProcessBuilder, List.of(new NoStickyQueues()));
        Server inProcess = inProcessBuilder.build().start();
        try {
            return new InMemoryTemporal(services, builder.build().start(), inProcess, inProcessName);
        } catch (IOException e) {
            inProcess.shutdownNow();
            services.close();
            throw new IOException(
                    "cannot start the in-memory Temporal server on " + address.getHostAddress() + ":" + port + " ("
                            + e.getMessage() + "); choose another port with --local-temporal-port",
                    e);
        }
    }

    /** {@code host:port} for a client. */
    @Override
    public String target() {
        InetSocketAddress address =
                (InetSocketAddress) server.getListenSockets().get(0);
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** A new channel to the server inside this process; the caller shuts it down. */
    @Override
    public Optional<ManagedChannel> inProcessChannel() {
        return Optional.of(InProcessChannelBuilder.forName(inProcessName).build());
    }

    /** The in-memory server has no UI. */
    @Override
    public Optional<String> uiUrl() {
        return Optional.empty();
    }

    @Override
    public void close() throws InterruptedException {
        inProcess.shutdownNow();
        server.shutdown();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
        services.close();
    }
}
