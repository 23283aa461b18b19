package dev.sensorengine.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.ListAgentsRequest;
import dev.sensorengine.flyteidl.service.AgentMetadataServiceGrpc;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Beyond the limit a call is refused at once, other RPC kinds are unaffected, and permits come back. */
class ConcurrencyLimitsTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger inside = new AtomicInteger();
    private final ExecutorService callers = Executors.newFixedThreadPool(4);
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forPort(0)
                .intercept(new ConcurrencyLimits(2))
                .addService(new AsyncAgentServiceGrpc.AsyncAgentServiceImplBase() {
                    @Override
                    public void getTask(GetTaskRequest request, StreamObserver<GetTaskResponse> response) {
                        inside.incrementAndGet();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        response.onNext(GetTaskResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                })
                .addService(new AgentMetadataService())
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext()
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        callers.shutdownNow();
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void theCallBeyondTheLimitIsRefusedAtOnce() throws Exception {
        var agent = AsyncAgentServiceGrpc.newBlockingStub(channel);
        List<Future<GetTaskResponse>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(callers.submit(() -> agent.getTask(GetTaskRequest.getDefaultInstance())));
        }
        await().until(() -> inside.get() == 2);

        assertThatThrownBy(
                        () -> agent.withDeadlineAfter(5, TimeUnit.SECONDS).getTask(GetTaskRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("more than 2 concurrent GetTask calls");
                });
        // Another kind of call has its own permits.
        assertThat(AgentMetadataServiceGrpc.newBlockingStub(channel)
                        .listAgents(ListAgentsRequest.getDefaultInstance())
                        .getAgentsCount())
                .isEqualTo(1);

        release.countDown();
        for (Future<GetTaskResponse> call : held) {
            call.get(10, TimeUnit.SECONDS);
        }
        assertThat(agent.getTask(GetTaskRequest.getDefaultInstance())).isNotNull();
    }
}
