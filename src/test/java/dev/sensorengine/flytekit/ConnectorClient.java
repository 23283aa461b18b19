package dev.sensorengine.flytekit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Agent;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetAgentRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskMetricsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.ListAgentsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.service.AgentMetadataServiceGrpc;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.testing.RawGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A flyteidl connector as propeller calls it, over gRPC on a socket, whichever connector answers: flytekit's own or
 * Sensor Engine. Requests go as bytes (CreateTask sends a fixture's bytes unchanged); every call gives an
 * {@link Answer} instead of throwing, so that two connectors' answers can be set side by side.
 */
final class ConnectorClient implements AutoCloseable {

    /** Propeller's deadline for every connector call. */
    static final Duration DEADLINE = Duration.ofSeconds(10);

    static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();

    private final ManagedChannel channel;
    private final RawGrpc raw;

    ConnectorClient(String host, int port) {
        channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        raw = new RawGrpc(channel, DEADLINE);
    }

    /**
     * One call and what came back: the status code, the status description or {@code Resource.message}, the phase
     * of a GetTask, the {@code resource_meta} of a CreateTask and the {@code custom_info} of a GetTask.
     */
    record Answer(
            String call,
            Status.Code code,
            String phase,
            String message,
            ByteString resourceMeta,
            Map<String, Object> customInfo) {

        static Answer failed(String call, Status.Code code, String description) {
            return new Answer(call, code, null, gist(description), ByteString.EMPTY, Map.of());
        }

        boolean ok() {
            return code == Status.Code.OK;
        }

        /** {@code OK SUCCEEDED}, {@code INTERNAL}, ...: what a parity row compares. */
        String outcome() {
            return phase == null ? code.name() : code.name() + " " + phase;
        }

        @Override
        public String toString() {
            return call + " " + outcome() + (message.isEmpty() ? "" : " " + message);
        }
    }

    Answer create(byte[] request) {
        RawGrpc.Outcome outcome = raw.call(RawGrpc.Rpc.CREATE, request);
        if (outcome.code() != Status.Code.OK) {
            return Answer.failed("CreateTask", outcome.code(), outcome.description());
        }
        ByteString meta = parse(
                        () -> CreateTaskResponse.parseFrom(outcome.responses().get(0)))
                .getResourceMeta();
        return new Answer("CreateTask", Status.Code.OK, null, "", meta, Map.of());
    }

    /** A GetTask with the category and the deprecated task_type both set, and no {@code output_prefix}. */
    Answer get(ByteString meta) {
        return get(meta, "");
    }

    /**
     * A GetTask as propeller 1.16 sends it: the category and the deprecated task_type both set, and the
     * {@code output_prefix} of the task execution attempt (its CreateTask's), which tells apart executions whose
     * flytekit metas are the same bytes.
     */
    Answer get(ByteString meta, String outputPrefix) {
        return get(meta, outputPrefix, true, true);
    }

    Answer get(ByteString meta, boolean category, boolean taskType) {
        return get(meta, "", category, taskType);
    }

    Answer get(ByteString meta, String outputPrefix, boolean category, boolean taskType) {
        GetTaskRequest.Builder request =
                GetTaskRequest.newBuilder().setResourceMeta(meta).setOutputPrefix(outputPrefix);
        if (category) {
            request.setTaskCategory(SENSOR);
        }
        if (taskType) {
            request.setTaskType(SENSOR.getName());
        }
        RawGrpc.Outcome outcome = raw.call(RawGrpc.Rpc.GET, request.build().toByteArray());
        if (outcome.code() != Status.Code.OK) {
            return Answer.failed("GetTask", outcome.code(), outcome.description());
        }
        Resource resource = parse(
                        () -> GetTaskResponse.parseFrom(outcome.responses().get(0)))
                .getResource();
        return new Answer(
                "GetTask",
                Status.Code.OK,
                resource.getPhase().name(),
                resource.getMessage(),
                ByteString.EMPTY,
                Structs.toMap(resource.getCustomInfo()));
    }

    Answer delete(ByteString meta) {
        byte[] request = DeleteTaskRequest.newBuilder()
                .setResourceMeta(meta)
                .setTaskCategory(SENSOR)
                .setTaskType(SENSOR.getName())
                .build()
                .toByteArray();
        return simple("DeleteTask", raw.call(RawGrpc.Rpc.DELETE, request));
    }

    Answer logs(ByteString meta) {
        byte[] request = GetTaskLogsRequest.newBuilder()
                .setResourceMeta(meta)
                .setTaskCategory(SENSOR)
                .setTaskType(SENSOR.getName())
                .build()
                .toByteArray();
        return simple("GetTaskLogs", raw.call(RawGrpc.Rpc.LOGS, request));
    }

    Answer metrics(ByteString meta) {
        byte[] request = GetTaskMetricsRequest.newBuilder()
                .setResourceMeta(meta)
                .setTaskCategory(SENSOR)
                .setTaskType(SENSOR.getName())
                .build()
                .toByteArray();
        return simple("GetTaskMetrics", raw.call(RawGrpc.Rpc.METRICS, request));
    }

    /** The agents of ListAgents; empty when the call fails. */
    List<Agent> agents() {
        try {
            return AgentMetadataServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .listAgents(ListAgentsRequest.getDefaultInstance())
                    .getAgentsList();
        } catch (StatusRuntimeException e) {
            return List.of();
        }
    }

    Answer getAgent(String name) {
        try {
            Agent agent = AgentMetadataServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .getAgent(GetAgentRequest.newBuilder().setName(name).build())
                    .getAgent();
            return new Answer("GetAgent", Status.Code.OK, null, agent.getName(), ByteString.EMPTY, Map.of());
        } catch (StatusRuntimeException e) {
            return Answer.failed(
                    "GetAgent", e.getStatus().getCode(), e.getStatus().getDescription());
        }
    }

    /** The gRPC health status of a service ("" for the server), or the code of the failed check. */
    String health(String service) {
        try {
            return HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build())
                    .getStatus()
                    .name();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode().name();
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static Answer simple(String call, RawGrpc.Outcome outcome) {
        return outcome.code() == Status.Code.OK
                ? new Answer(call, Status.Code.OK, null, "", ByteString.EMPTY, Map.of())
                : Answer.failed(call, outcome.code(), outcome.description());
    }

    /**
     * The useful part of a status description. flytekit sends a whole Python traceback, then "Message:" and the
     * error: its first line and that part are kept.
     */
    static String gist(String description) {
        if (description == null) {
            return "";
        }
        int message = description.indexOf("Message:");
        if (message >= 0) {
            String first = description.lines().findFirst().orElse("").strip();
            return (first + " "
                            + description
                                    .substring(message + "Message:".length())
                                    .strip())
                    .strip();
        }
        return description.strip();
    }

    private interface Parse<T> {
        T get() throws InvalidProtocolBufferException;
    }

    private static <T> T parse(Parse<T> parse) {
        try {
            return parse.get();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the connector answered bytes that are no flyteidl message", e);
        }
    }
}
