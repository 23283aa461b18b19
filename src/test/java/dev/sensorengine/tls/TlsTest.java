package dev.sensorengine.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.facade.ServerTls;
import dev.sensorengine.flyteidl.admin.AgentOuterClass;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.ListAgentsRequest;
import dev.sensorengine.flyteidl.service.AgentMetadataServiceGrpc;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.runtime.TemporalAccess;
import dev.sensorengine.testing.TestCertificates;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC server over TLS and mutual TLS, with certificates made in the test and reloaded from their files. */
class TlsTest {

    @TempDir
    static Path dir;

    private static TestCertificates.Issued authority;
    private static TestCertificates.Issued client;
    private static TestCertificates.Issued otherAuthority;
    private static TestCertificates.Issued strangerClient;
    private static Path serverCert;
    private static Path serverKey;
    private static SensorEngineService service;

    @BeforeAll
    static void start() throws Exception {
        authority = TestCertificates.authority(dir, "ca");
        TestCertificates.Issued server = TestCertificates.leaf(dir, "server", authority);
        client = TestCertificates.leaf(dir, "client", authority);
        otherAuthority = TestCertificates.authority(dir, "other-ca");
        strangerClient = TestCertificates.leaf(dir, "stranger", otherAuthority);
        // The service reads these two paths; the reload test replaces their content.
        serverCert = Files.copy(server.certificateFile(), dir.resolve("served.crt"));
        serverKey = Files.copy(server.keyFile(), dir.resolve("served.key"));
        service = SensorEngineService.start(ServiceConfig.inProcess("tls")
                .fileRoots(List.of(dir))
                .tls(new ServerTls(
                        serverCert, serverKey, Optional.of(authority.certificateFile()), Duration.ofMillis(300)))
                .build());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aClientWithACertificateFromTheTrustedAuthorityIsServed() throws Exception {
        assertThat(listAgents(tls(authority.certificateFile(), client))).isEqualTo(1);
    }

    @Test
    void plaintextAndUnauthenticatedClientsAreRefused() {
        assertThatThrownBy(() -> listAgents(InsecureChannelCredentials.create()))
                .isInstanceOf(StatusRuntimeException.class);
        assertThatThrownBy(() -> listAgents(tls(authority.certificateFile(), null)))
                .isInstanceOf(StatusRuntimeException.class);
        assertThatThrownBy(() -> listAgents(tls(authority.certificateFile(), strangerClient)))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void renewedCertificatesTakeEffectWithoutARestart() throws Exception {
        TestCertificates.Issued renewed = TestCertificates.leaf(dir, "renewed", otherAuthority);
        ChannelCredentials trustingOnlyTheNewAuthority = tls(otherAuthority.certificateFile(), client);
        assertThatThrownBy(() -> listAgents(trustingOnlyTheNewAuthority)).isInstanceOf(StatusRuntimeException.class);

        Files.copy(renewed.keyFile(), serverKey, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.certificateFile(), serverCert, StandardCopyOption.REPLACE_EXISTING);

        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> listAgents(trustingOnlyTheNewAuthority) == 1);
        // Put the original back for the other tests.
        Files.copy(dir.resolve("server.key"), serverKey, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("server.crt"), serverCert, StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> listAgents(tls(authority.certificateFile(), client)) == 1);
    }

    @Test
    void theServiceReachesATemporalThatRequiresMutualTls() throws Exception {
        // The SDK's test server behind TLS that demands a client certificate from our authority.
        TestCertificates.Issued temporalCert = TestCertificates.leaf(dir, "temporal", authority);
        var services = new TestServicesStarter(true, 0);
        var builder = NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0),
                TlsServerCredentials.newBuilder()
                        .keyManager(
                                temporalCert.certificateFile().toFile(),
                                temporalCert.keyFile().toFile())
                        .trustManager(authority.certificateFile().toFile())
                        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                        .build());
        GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
        Server temporal = builder.build().start();
        TemporalAccess mutualTls = new TemporalAccess(
                Optional.of(client.certificateFile()),
                Optional.of(client.keyFile()),
                Optional.of(authority.certificateFile()),
                Optional.empty());
        try (SensorEngineService overTls = SensorEngineService.start(ServiceConfig.inProcess("tls-temporal")
                .temporalTarget("localhost:" + temporal.getPort())
                .fileRoots(List.of(dir))
                .temporalAccess(mutualTls)
                .build())) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                            "127.0.0.1", overTls.grpcPort(), InsecureChannelCredentials.create())
                    .build();
            var agent = AsyncAgentServiceGrpc.newBlockingStub(channel);
            var meta = agent.createTask(FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                            "p",
                            "d",
                            "exec-tls",
                            "n0",
                            0,
                            "flytekit.sensor.file_sensor",
                            "FileSensor",
                            Map.of(),
                            Map.of("path", dir.resolve("absent").toString()),
                            Optional.empty())))
                    .getResourceMeta();

            var resource = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> agent.getTask(AgentOuterClass.GetTaskRequest.newBuilder()
                                            .setResourceMeta(meta)
                                            .setTaskCategory(AgentOuterClass.TaskCategory.newBuilder()
                                                    .setName("sensor"))
                                            .build())
                                    .getResource(),
                            r -> r.getMessage().contains("does not exist"));
            assertThat(resource.getMessage()).contains("poke");
            channel.shutdownNow();
        } finally {
            temporal.shutdownNow();
            services.close();
        }
        // A TLS target that cannot be reached stops the start-up with a message that says so.
        assertThatThrownBy(() -> SensorEngineService.start(ServiceConfig.inProcess("tls-temporal")
                        .temporalTarget("localhost:1")
                        .temporalAccess(new TemporalAccess(
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of(authority.certificateFile()),
                                Optional.empty()))
                        .build()))
                .hasMessageContaining("cannot reach Temporal");
    }

    private static ChannelCredentials tls(Path trusted, TestCertificates.Issued identity) throws Exception {
        TlsChannelCredentials.Builder builder =
                TlsChannelCredentials.newBuilder().trustManager(trusted.toFile());
        if (identity != null) {
            builder.keyManager(
                    identity.certificateFile().toFile(), identity.keyFile().toFile());
        }
        return builder.build();
    }

    private static int listAgents(ChannelCredentials credentials) throws InterruptedException {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", service.grpcPort(), credentials)
                .build();
        try {
            return AgentMetadataServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listAgents(ListAgentsRequest.getDefaultInstance())
                    .getAgentsCount();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
