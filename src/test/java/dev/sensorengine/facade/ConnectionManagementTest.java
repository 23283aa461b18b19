package dev.sensorengine.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.testing.Http2Peer;
import dev.sensorengine.testing.Http2Peer.GoAway;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection age and keepalive of the gRPC server, over real sockets: a connection is closed with GOAWAY after its
 * age and the next call lands on a new one without failing; a client pinging as often as the server permits, while
 * idle, is never told to calm down, where grpc-java's defaults would close its connection.
 */
class ConnectionManagementTest {

    private FacadeServer facade;

    @AfterEach
    void stop() throws InterruptedException {
        if (facade != null) {
            facade.close();
        }
    }

    private int serve(ConnectionSettings connections) throws Exception {
        facade = FacadeServer.start(
                0,
                Optional.empty(),
                new SimpleMeterRegistry(),
                Duration.ofSeconds(1),
                Optional.empty(),
                100,
                RequestLimits.DEFAULTS,
                connections);
        return facade.port();
    }

    @Test
    void aConnectionIsClosedAfterItsAgeAndTheNextCallLandsOnANewOneWithoutFailing() throws Exception {
        int port = serve(new ConnectionSettings(
                Duration.ofMillis(500),
                Duration.ofMillis(500),
                Duration.ofMinutes(1),
                Duration.ofSeconds(20),
                Duration.ofSeconds(10)));

        // The server's side of it: GOAWAY with NO_ERROR once the age (with its jitter) is reached.
        try (Http2Peer peer = Http2Peer.connect("127.0.0.1", port)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !peer.goAways().isEmpty());
            assertThat(peer.goAways()).first().extracting(GoAway::errorCode).isEqualTo(GoAway.NO_ERROR);
            await().atMost(Duration.ofSeconds(10)).until(() -> !peer.isOpen());
        }

        // A client's side of it: calls keep succeeding, on one connection after another.
        Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();
        AtomicInteger calls = new AtomicInteger();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .intercept(new LocalAddresses(connections))
                .build();
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
            await().atMost(Duration.ofSeconds(30))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        // Any failed call (UNAVAILABLE from a closed connection) throws and fails the test.
                        ServingStatus status = health.withDeadlineAfter(5, TimeUnit.SECONDS)
                                .check(HealthCheckRequest.getDefaultInstance())
                                .getStatus();
                        assertThat(status).isEqualTo(ServingStatus.SERVING);
                        calls.incrementAndGet();
                        return connections.size() >= 3;
                    });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(calls.get()).isGreaterThan(connections.size());
    }

    @Test
    void anIdleClientPingingAsOftenAsPermittedIsNeverToldToCalmDown() throws Exception {
        Duration permitted = Duration.ofMillis(200);
        int port = serve(new ConnectionSettings(
                Duration.ZERO, Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofSeconds(20), permitted));

        try (Http2Peer peer = Http2Peer.connect("127.0.0.1", port)) {
            assertThat(peer.pingEvery(permitted, 10)).isEqualTo(10);

            assertThat(peer.goAways()).isEmpty();
            assertThat(peer.isOpen()).isTrue();
            assertThat(peer.healthCheck(5_000)).isEqualTo("grpc-status 0 SERVING");
        }
    }

    @Test
    void theDefaultsPermitPingsEveryTenSecondsWithoutCalls() {
        // grpc-go's smallest keepalive time, and a third of propeller's 30 s (flyteorg/flyte#7458).
        assertThat(ConnectionSettings.DEFAULTS.permitKeepAliveTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ConnectionSettings.DEFAULTS.maxConnectionAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConnectionSettings.DEFAULTS.maxConnectionAgeGrace()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void grpcJavasOwnPolicyClosesTheSameClientsConnection() throws Exception {
        // What the service did before it set a policy: grpc-java's defaults (5 minutes, never without calls).
        HealthStatusManager health = new HealthStatusManager();
        Server bare = NettyServerBuilder.forPort(0)
                .addService(health.getHealthService())
                .build()
                .start();
        try (Http2Peer peer = Http2Peer.connect("127.0.0.1", bare.getPort())) {
            assertThat(peer.pingEvery(Duration.ofMillis(200), 10)).isLessThan(10);

            await().atMost(Duration.ofSeconds(10)).until(() -> !peer.goAways().isEmpty());
            assertThat(peer.goAways()).first().isEqualTo(new GoAway(GoAway.ENHANCE_YOUR_CALM, "too_many_pings"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !peer.isOpen());
        } finally {
            bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Records the client's local address of every call: a new address is a new connection. */
    private record LocalAddresses(Set<SocketAddress> seen) implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            ClientCall<Q, R> call = next.newCall(method, options);
            return new SimpleForwardingClientCall<>(call) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    super.start(
                            new SimpleForwardingClientCallListener<>(listener) {
                                @Override
                                public void onHeaders(Metadata metadata) {
                                    SocketAddress local = call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
                                    if (local != null) {
                                        seen.add(local);
                                    }
                                    super.onHeaders(metadata);
                                }
                            },
                            headers);
                }
            };
        }
    }
}
