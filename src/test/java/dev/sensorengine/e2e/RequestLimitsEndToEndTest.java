package dev.sensorengine.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskMetricsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Literals;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.LiteralCollection;
import dev.sensorengine.flyteidl.core.Literals.LiteralMap;
import dev.sensorengine.flyteidl.core.Literals.Scalar;
import dev.sensorengine.flyteidl.core.Literals.Union;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.LiteralConverter;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.RawGrpc;
import dev.sensorengine.testing.RealTemporal;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile requests over real gRPC against a service with small limits: each is refused with the status its limit
 * promises and a message naming the flag, and the service keeps serving afterwards.
 */
class RequestLimitsEndToEndTest {

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();
    private static final RequestLimits LIMITS = new RequestLimits(64 * 1024, 4, 1024, 8, 32 * 1024, 16 * 1024);

    @TempDir
    static Path root;

    private static SensorEngineService service;
    private static ManagedChannel channel;
    private static AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent;

    @BeforeAll
    static void startService() throws IOException {
        service = SensorEngineService.start(ServiceConfig.inProcess("limits-sensors")
                .temporalTarget(RealTemporal.shared())
                .fileRoots(List.of(root))
                .requestLimits(LIMITS)
                .build());
        // The client may send more than the server takes: the server's limit is under test, not the client's.
        channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                .usePlaintext()
                .maxInboundMessageSize(16 * 1024 * 1024)
                .build();
        agent = AsyncAgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopService() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        service.close();
    }

    /** After every refusal the service is still healthy and still creates sensors. */
    @AfterEach
    void stillServing() {
        assertThat(HealthGrpc.newBlockingStub(channel)
                        .check(HealthCheckRequest.getDefaultInstance())
                        .getStatus())
                .isEqualTo(ServingStatus.SERVING);
        ByteString meta = agent.createTask(fileSensor(
                        "exec-ok", Map.of(), Map.of("path", root.resolve("x").toString())))
                .getResourceMeta();
        agent.deleteTask(DeleteTaskRequest.newBuilder()
                .setTaskCategory(SENSOR)
                .setResourceMeta(meta)
                .build());
    }

    @Test
    void aMessageOverTheSizeLimitIsResourceExhausted() {
        CreateTaskRequest huge = fileSensor("exec-huge", Map.of(), Map.of("path", "x".repeat(100 * 1024)));

        assertStatus(() -> agent.createTask(huge), Status.Code.RESOURCE_EXHAUSTED, "exceeds maximum size 65536");
    }

    @Test
    void tooManyInputsAreInvalidArgument() {
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            inputs.put("in" + i, "v");
        }

        assertStatus(
                () -> agent.createTask(fileSensor("exec-many", Map.of(), inputs)),
                Status.Code.INVALID_ARGUMENT,
                "the task has 5 inputs, over the limit of 4 (--max-inputs)");
    }

    @Test
    void anInputOverTheSizeLimitIsInvalidArgument() {
        CreateTaskRequest large = fileSensor("exec-large", Map.of(), Map.of("path", "p".repeat(2000)));

        assertStatus(
                () -> agent.createTask(large),
                Status.Code.INVALID_ARGUMENT,
                "input 'path' is 2009 bytes, over the limit of 1024 (--max-input-size)");
    }

    @Test
    void aDeepInputIsInvalidArgument() {
        CreateTaskRequest deep = withInput(fileSensor("exec-deep", Map.of(), Map.of()), "path", nestedCollection(9));

        assertStatus(
                () -> agent.createTask(deep),
                Status.Code.INVALID_ARGUMENT,
                "input 'path' nests 9 levels deep, over the limit of 8 (--max-literal-depth)");
    }

    @Test
    void aStructDeeperThanProtobufParsesIsInvalidArgument() {
        // 200 Structs are 600 nested messages, beyond protobuf's parsing limit of 100: gRPC cannot even decode it.
        Map<String, Object> config = new LinkedHashMap<>();
        CreateTaskRequest request = fileSensor("exec-struct", config, Map.of("path", "x"));
        Struct custom = request.getTemplate().getCustom().toBuilder()
                .putFields("sensor_config", nestedStruct(200))
                .build();
        CreateTaskRequest deep = request.toBuilder()
                .setTemplate(request.getTemplate().toBuilder().setCustom(custom))
                .build();

        assertStatus(
                () -> agent.createTask(deep),
                Status.Code.INVALID_ARGUMENT,
                "cannot decode the CreateTask request: it nests messages more than 100 levels deep");
    }

    @Test
    void aStructOverTheDepthLimitIsInvalidArgument() {
        CreateTaskRequest request = fileSensor("exec-config", Map.of(), Map.of("path", "x"));
        Struct custom = request.getTemplate().getCustom().toBuilder()
                .putFields("sensor_config", nestedStruct(9))
                .build();
        CreateTaskRequest deep = request.toBuilder()
                .setTemplate(request.getTemplate().toBuilder().setCustom(custom))
                .build();

        assertStatus(
                () -> agent.createTask(deep),
                Status.Code.INVALID_ARGUMENT,
                "TaskTemplate.custom nests 9 levels deep, over the limit of 8 (--max-literal-depth)");
    }

    @Test
    void aSpecOverTheSizeLimitIsInvalidArgument() {
        CreateTaskRequest request = fileSensor("exec-spec", Map.of("note", "n".repeat(20 * 1024)), Map.of("path", "x"));

        assertStatus(() -> agent.createTask(request), Status.Code.INVALID_ARGUMENT, "(--max-spec-size)");
    }

    @Test
    void bytesThatAreNoProtobufAreInvalidArgumentNotUnknown() {
        byte[] garbage = {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x0f, 1, 2};

        RawGrpc.Outcome outcome = new RawGrpc(channel, Duration.ofSeconds(10)).call(RawGrpc.Rpc.CREATE, garbage);

        assertThat(outcome.code()).as(outcome.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(outcome.description()).contains("cannot decode the CreateTask request");
    }

    @Test
    void anUnsupportedLiteralIsInvalidArgumentNamingItsKind() {
        Literal union = Literal.newBuilder()
                .setScalar(Scalar.newBuilder()
                        .setUnion(Union.newBuilder()
                                .setValue(Literal.newBuilder()
                                        .setScalar(Scalar.newBuilder()
                                                .setBinary(Literals.Binary.newBuilder()
                                                        .setTag("msgpack"))))))
                .build();
        CreateTaskRequest request = withInput(fileSensor("exec-binary", Map.of(), Map.of()), "path", union);

        assertStatus(
                () -> agent.createTask(request),
                Status.Code.INVALID_ARGUMENT,
                "Input 'path' is a binary literal, which the sensor connector does not support");
    }

    @Test
    void aResourceMetaOverTheSizeLimitIsInvalidArgumentForEveryCall() {
        ByteString meta = ByteString.copyFrom(new byte[32 * 1024 + 1]);
        String message = "resource_meta is 32769 bytes, over the limit of 32768 (--max-resource-meta-size)";

        assertStatus(
                () -> agent.getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                message);
        assertStatus(
                () -> agent.deleteTask(DeleteTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                message);
        assertStatus(
                () -> agent.getTaskMetrics(GetTaskMetricsRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                message);
        assertStatus(
                () -> agent.getTaskLogs(GetTaskLogsRequest.newBuilder()
                                .setTaskCategory(SENSOR)
                                .setResourceMeta(meta)
                                .build())
                        .forEachRemaining(response -> {}),
                Status.Code.INVALID_ARGUMENT,
                message);
    }

    @Test
    void reflectionStillDescribesTheServicesWhoseDecodingIsWrapped() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        answer.complete(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                });
        requests.onNext(ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("flyteidl.service.AsyncAgentService")
                .build());
        requests.onCompleted();

        assertThat(answer.get(10, TimeUnit.SECONDS).getFileDescriptorResponse().getFileDescriptorProtoCount())
                .isPositive();
    }

    private static CreateTaskRequest fileSensor(String execution, Map<String, Object> config, Map<String, ?> inputs) {
        return FlytekitSensorTasks.createRequest(
                FlytekitSensorTasks.Task.of(execution, "flytekit.sensor.file_sensor", "FileSensor", inputs)
                        .withSensorConfig(new LinkedHashMap<>(config)));
    }

    private static CreateTaskRequest withInput(CreateTaskRequest request, String name, Literal literal) {
        return request.toBuilder()
                .setInputs(LiteralMap.newBuilder(request.getInputs()).putLiterals(name, literal))
                .build();
    }

    /** A literal {@code depth} levels deep: lists of lists around one string. */
    private static Literal nestedCollection(int depth) {
        Literal literal = LiteralConverter.toLiteral("x");
        for (int level = 1; level < depth; level++) {
            literal = Literal.newBuilder()
                    .setCollection(LiteralCollection.newBuilder().addLiterals(literal))
                    .build();
        }
        return literal;
    }

    /** A Value {@code depth} levels deep: structs of structs around one string, built inside out. */
    private static Value nestedStruct(int depth) {
        Value value = Value.newBuilder().setStringValue("x").build();
        for (int level = 1; level < depth; level++) {
            value = Value.newBuilder()
                    .setStructValue(Struct.newBuilder().putFields("a", value))
                    .build();
        }
        return value;
    }

    private static void assertStatus(Runnable call, Status.Code code, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(messagePart);
        });
    }
}
