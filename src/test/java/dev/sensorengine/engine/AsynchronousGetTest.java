package dev.sensorengine.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GetTask's Temporal calls go out through the future stub and no thread waits for them: what Temporal answers, the
 * time it may take and the caller giving up must reach the caller and Temporal as they did when a thread waited.
 */
class AsynchronousGetTest {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final String WORKFLOW_ID = "flyte-sensor:p:d:e:n0:0";

    private final FakeFrontend frontend = new FakeFrontend();
    private final TemporalOutage outage = new TemporalOutage();
    private final ResourceMetaCodec codec = new ResourceMetaCodec("default", RequestLimits.DEFAULTS);
    private Server server;
    private ManagedChannel channel;
    private WorkflowServiceStubs stubs;

    @BeforeEach
    void startFrontend() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(frontend)
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).build();
        stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setChannel(channel).build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        stubs.shutdownNow();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aDescribeFailureReachesTheCallerAsTheSameKindOfFailure() {
        SensorEngine engine = engine(Duration.ZERO);

        frontend.describeFails(Status.PERMISSION_DENIED.withDescription("Request unauthorized."));
        assertThat(failureOf(engine.get(meta(), "", CallBudget.of(Duration.ofSeconds(9)))))
                .isInstanceOfSatisfying(
                        TemporalRefusedException.class,
                        refused -> assertThat(refused.reason())
                                .isEqualTo(TemporalRefusedException.Reason.PERMISSION_DENIED));

        frontend.describeFails(Status.UNAVAILABLE.withDescription("connection refused"));
        assertThat(failureOf(engine.get(meta(), "", CallBudget.of(Duration.ofSeconds(9)))))
                .isInstanceOf(TemporalUnavailableException.class)
                .hasMessageContaining("UNAVAILABLE");
    }

    @Test
    void withinTheOutageGraceAnUnreachableTemporalIsRunningWithStateUnknown() {
        frontend.describeFails(Status.UNAVAILABLE.withDescription("connection refused"));

        SensorStatus status = engine(Duration.ofMinutes(10))
                .get(meta(), "", CallBudget.of(Duration.ofSeconds(9)))
                .toCompletableFuture()
                .join();

        assertThat(status.phase()).isEqualTo(Phase.RUNNING);
        assertThat(status.message()).startsWith("state unknown: Temporal unreachable for");
    }

    @Test
    void theCallersBudgetIsTheDeadlineTemporalSeesCappedPerCall() {
        SensorEngine engine = engine(Duration.ZERO);

        engine.get(meta(), "", CallBudget.of(Duration.ofSeconds(2)))
                .toCompletableFuture()
                .join();
        engine.get(meta(), "", CallBudget.of(Duration.ofMinutes(1)))
                .toCompletableFuture()
                .join();

        assertThat(frontend.deadlines).hasSize(2);
        // Seconds the describe had left when Temporal received it: the budget, and at most the per-call cap.
        assertThat(frontend.deadlines.get(0)).isCloseTo(2.0, within(1.0));
        assertThat(frontend.deadlines.get(1)).isCloseTo(CALL_TIMEOUT.toSeconds(), within(1.0));
    }

    @Test
    void aGetReturnsBeforeTemporalAnswersAndACallerWhoGivesUpCancelsTheDescribe() throws Exception {
        frontend.hang();
        Context.CancellableContext caller = Context.current().withCancellation();
        CompletableFuture<SensorStatus> answer = caller.call(() -> engine(Duration.ZERO)
                .get(meta(), "", CallBudget.of(Duration.ofSeconds(9)))
                .toCompletableFuture());

        assertThat(answer)
                .as("answered by Temporal's reply, not by a waiting thread")
                .isNotDone();
        caller.cancel(null);

        await().atMost(Duration.ofSeconds(10)).untilTrue(frontend.cancelled);
        assertThat(failureOf(answer)).isInstanceOf(TemporalUnavailableException.class);
    }

    @Test
    void aWorkflowTemporalLostIsStartedAgainBeforeItsDeadlineOnly() {
        frontend.describeFails(Status.NOT_FOUND.withDescription("workflow not found"));
        SensorStatus readopted = engine(Duration.ZERO)
                .get(meta(), "", CallBudget.of(Duration.ofSeconds(9)))
                .toCompletableFuture()
                .join();
        assertThat(frontend.starts)
                .extracting(StartWorkflowExecutionRequest::getWorkflowId)
                .containsExactly(WORKFLOW_ID);
        assertThat(readopted.phase()).isEqualTo(Phase.RUNNING);

        frontend.starts.clear();
        frontend.describeFails(Status.NOT_FOUND.withDescription("workflow not found"));
        Instant longAgo = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS);
        SensorStatus expired = engine(Duration.ZERO)
                .get(meta(longAgo), "", CallBudget.of(Duration.ofSeconds(9)))
                .toCompletableFuture()
                .join();
        assertThat(frontend.starts).isEmpty();
        assertThat(expired.phase()).isEqualTo(Phase.FAILED);
        assertThat(expired.message()).contains("Temporal holds no record of this sensor");
    }

    private SensorEngine engine(Duration outageGrace) {
        WorkflowClient client = WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setNamespace("default")
                        .setDataConverter(Json.dataConverter())
                        .build());
        EngineSettings settings = new EngineSettings(
                "default",
                "flyte-sensors",
                new PokeDefaults(Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofDays(1)),
                "",
                CALL_TIMEOUT,
                false,
                RequestLimits.DEFAULTS,
                outageGrace,
                ""); // no Python task queue
        return new SensorEngine(client, settings, SensorRegistry.load(), Clock.systemUTC(), outage);
    }

    private byte[] meta() {
        return meta(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** The meta CreateTask would have issued for a FileSensor created at {@code createdAt}, with a 1-hour timeout. */
    private byte[] meta(Instant createdAt) {
        SensorSpec spec = new SensorSpec(
                "flytekit.sensor.file_sensor",
                "FileSensor",
                Map.of(),
                Map.of("path", "/data/x"),
                new PokePolicy(
                        Duration.ofSeconds(60), Backoff.EXPONENTIAL, Duration.ofMinutes(10), Duration.ofHours(1)),
                createdAt);
        return codec.encode(new ResourceMeta(ResourceMeta.VERSION, "default", WORKFLOW_ID, spec));
    }

    private static Throwable failureOf(java.util.concurrent.CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            return Stages.cause(e);
        }
        throw new AssertionError("the call succeeded");
    }

    /**
     * Temporal's frontend as the engine's calls see it: describe answers RUNNING, fails as told once, or never
     * answers; start starts. It notes each describe's deadline and whether a caller cancelled it.
     */
    private static final class FakeFrontend extends WorkflowServiceGrpc.WorkflowServiceImplBase {
        final CopyOnWriteArrayList<Double> deadlines = new CopyOnWriteArrayList<>();
        final Queue<StartWorkflowExecutionRequest> starts = new ConcurrentLinkedQueue<>();
        final AtomicBoolean cancelled = new AtomicBoolean();
        private final Queue<Status> failures = new ArrayDeque<>();
        private volatile boolean hang;

        synchronized void describeFails(Status status) {
            failures.add(status);
        }

        void hang() {
            hang = true;
        }

        @Override
        public void describeWorkflowExecution(
                DescribeWorkflowExecutionRequest request, StreamObserver<DescribeWorkflowExecutionResponse> response) {
            Deadline deadline = Context.current().getDeadline();
            deadlines.add(deadline == null ? Double.NaN : deadline.timeRemaining(TimeUnit.MILLISECONDS) / 1000.0);
            if (hang) {
                Context.current().addListener(context -> cancelled.set(true), Runnable::run);
                return;
            }
            Status failure;
            synchronized (this) {
                failure = failures.poll();
            }
            if (failure != null) {
                response.onError(failure.asRuntimeException());
                return;
            }
            response.onNext(DescribeWorkflowExecutionResponse.newBuilder()
                    .setWorkflowExecutionInfo(WorkflowExecutionInfo.newBuilder()
                            .setExecution(WorkflowExecution.newBuilder()
                                    .setWorkflowId(request.getExecution().getWorkflowId())
                                    .setRunId("run-1"))
                            .setStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING))
                    .build());
            response.onCompleted();
        }

        /** The SDK asks once per connection, before its first call. */
        @Override
        public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
            response.onNext(GetSystemInfoResponse.getDefaultInstance());
            response.onCompleted();
        }

        @Override
        public void startWorkflowExecution(
                StartWorkflowExecutionRequest request, StreamObserver<StartWorkflowExecutionResponse> response) {
            starts.add(request);
            response.onNext(StartWorkflowExecutionResponse.newBuilder()
                    .setRunId("run-1")
                    .setStarted(true)
                    .build());
            response.onCompleted();
        }
    }
}
