package dev.sensorengine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.core.Literals;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.Primitive;
import dev.sensorengine.flyteidl.core.Literals.Scalar;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.LogCapture;
import dev.sensorengine.testing.RawGrpc;
import dev.sensorengine.testing.RawGrpc.Outcome;
import dev.sensorengine.testing.RawGrpc.Rpc;
import dev.sensorengine.testing.RealTemporal;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One regression test per bug that {@link ApiFuzzTest} found, over real gRPC: each request here used to end as
 * UNKNOWN, INTERNAL or UNAVAILABLE, or to start a sensor that could never run.
 */
class HostileRequestsTest {

    private static SensorEngineService service;
    private static ManagedChannel channel;
    private static RawGrpc grpc;
    private static LogCapture logs;

    @BeforeAll
    static void start() throws IOException {
        logs = LogCapture.start();
        service = SensorEngineService.start(ServiceConfig.inProcess("hostile-sensors")
                .temporalTarget(RealTemporal.shared())
                .build());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                .usePlaintext()
                .build();
        grpc = new RawGrpc(channel, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        service.close();
        logs.close();
    }

    @Test
    void bytesThatAreNoMessageAreInvalidArgumentAndLogNothing() {
        byte[] valid = request("exec-bytes", Map.of(), Map.of("delta", Duration.ofHours(1)))
                .toByteArray();
        byte[] truncated = Arrays.copyOf(valid, valid.length - 1);
        byte[] badTag = {0x00, 0x01};

        for (byte[] bytes : new byte[][] {truncated, badTag}) {
            Outcome outcome = grpc.call(Rpc.CREATE, bytes);
            assertThat(outcome.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(outcome.description()).startsWith("cannot decode the CreateTask request");
        }
        assertThat(grpc.call(Rpc.GET, badTag).code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(logs.problems()).isEmpty();
    }

    @Test
    void nestingPastProtobufsLimitIsInvalidArgument() {
        CreateTaskRequest deep = request("exec-deep", Map.of(), Map.of()).toBuilder()
                .setInputs(Literals.LiteralMap.newBuilder().putLiterals("path", HostileValues.nestedCollection(120)))
                .build();

        Outcome outcome = grpc.call(Rpc.CREATE, deep.toByteArray());

        assertThat(outcome.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(outcome.description()).contains("more than 100 levels deep");
    }

    @Test
    void aRefusalQuotingAHugeValueStillArrivesAsItsStatus() {
        CreateTaskRequest request = request("exec-type", Map.of(), Map.of());
        CreateTaskRequest wrongType = request.toBuilder()
                .setTemplate(request.getTemplate().toBuilder().setType(" ".repeat(10_000)))
                .build();

        Outcome outcome = grpc.call(Rpc.CREATE, wrongType.toByteArray());

        assertThat(outcome.code()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(outcome.description())
                .startsWith("no connector here serves task category")
                .endsWith("\u2026");
    }

    @Test
    void durationsBeyondACenturyAreRefusedNotLeftToWedgeTheWorkflow() {
        // An infinite poke_interval became 292 million years, which Temporal cannot hold: every workflow task failed.
        for (Object interval : new Object[] {Double.POSITIVE_INFINITY, "36526d"}) {
            Outcome outcome = grpc.call(
                    Rpc.CREATE,
                    request("exec-forever", Map.of("poke_interval", interval), Map.of("delta", Duration.ofHours(1)))
                            .toByteArray());
            assertThat(outcome.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(outcome.description()).contains("at most 36525 days");
        }
        Outcome delta = grpc.call(
                Rpc.CREATE,
                request("exec-delta", Map.of(), Map.of("delta", Duration.ofSeconds(Long.MAX_VALUE)))
                        .toByteArray());
        assertThat(delta.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(delta.description()).contains("'delta'").contains("beyond the calendar");
    }

    @Test
    void datetimesAndDurationsOutsideJavasRangeAreInvalidArguments() {
        CreateTaskRequest request = request("exec-range", Map.of(), Map.of());
        Literal farFuture = Literal.newBuilder()
                .setScalar(Scalar.newBuilder()
                        .setPrimitive(Primitive.newBuilder()
                                .setDatetime(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))))
                .build();
        Literal overflow = Literal.newBuilder()
                .setScalar(Scalar.newBuilder()
                        .setPrimitive(Primitive.newBuilder()
                                .setDuration(com.google.protobuf.Duration.newBuilder()
                                        .setSeconds(Long.MIN_VALUE)
                                        .setNanos(-1))))
                .build();
        CreateTaskRequest badTimeout = request.toBuilder()
                .setTemplate(request.getTemplate().toBuilder()
                        .setMetadata(request.getTemplate().getMetadata().toBuilder()
                                .setTimeout(com.google.protobuf.Duration.newBuilder()
                                        .setSeconds(Long.MIN_VALUE)
                                        .setNanos(-1))))
                .build();

        Outcome datetime = grpc.call(
                Rpc.CREATE,
                request.toBuilder()
                        .setInputs(request.getInputs().toBuilder().putLiterals("target_time", farFuture))
                        .build()
                        .toByteArray());
        Outcome duration = grpc.call(
                Rpc.CREATE,
                request.toBuilder()
                        .setInputs(request.getInputs().toBuilder().putLiterals("delta", overflow))
                        .build()
                        .toByteArray());
        Outcome timeout = grpc.call(Rpc.CREATE, badTimeout.toByteArray());

        assertThat(datetime.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(datetime.description()).contains("Input 'target_time' is an out-of-range datetime literal");
        assertThat(duration.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(timeout.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(timeout.description()).contains("TaskTemplate.metadata.timeout");
    }

    @Test
    void aSpecTooLargeForTemporalIsInvalidArgumentNotUnavailable() {
        Outcome outcome = grpc.call(
                Rpc.CREATE,
                request("exec-large", Map.of(), Map.of("delta", Duration.ofHours(1), "note", "x".repeat(300 * 1024)))
                        .toByteArray());

        assertThat(outcome.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        // The one input is over its own limit before the spec as a whole is weighed (RequestLimitsTest has both).
        assertThat(outcome.description()).contains("over the limit of", "(--max-input-size)");
    }

    @Test
    void aVeryLongExecutionNameStillMakesASensorThatRuns() throws IOException {
        // An 80 kB execution name made a workflow id the embedded server could not give a worker: stuck for ever.
        CreateTaskRequest request = FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                "p",
                "d",
                "x".repeat(80_000),
                "n0",
                0,
                "m",
                "DateTimeSensor",
                Map.of(),
                Map.of("target_time", Instant.parse("2020-01-01T00:00:00Z")),
                Optional.empty()));

        Outcome created = grpc.call(Rpc.CREATE, request.toByteArray());
        assertThat(created.code()).isEqualTo(Status.Code.OK);
        ByteString meta =
                CreateTaskResponse.parseFrom(created.responses().get(0)).getResourceMeta();

        Phase phase = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> GetTaskResponse.parseFrom(grpc.call(
                                                Rpc.GET,
                                                GetTaskRequest.newBuilder()
                                                        .setResourceMeta(meta)
                                                        .setTaskCategory(TaskCategory.newBuilder()
                                                                .setName("sensor"))
                                                        .build()
                                                        .toByteArray())
                                        .responses()
                                        .get(0))
                                .getResource()
                                .getPhase(),
                        p -> p != Phase.RUNNING);
        assertThat(phase).isEqualTo(Phase.SUCCEEDED);
        assertThat(meta.toStringUtf8()).contains("flyte-sensor:long:");
    }

    private static CreateTaskRequest request(String execution, Map<String, Object> config, Map<String, ?> inputs) {
        return FlytekitSensorTasks.createRequest(
                FlytekitSensorTasks.Task.of(execution, "my.sensors", "TimeDeltaSensor", inputs)
                        .withSensorConfig(new LinkedHashMap<>(config)));
    }
}
