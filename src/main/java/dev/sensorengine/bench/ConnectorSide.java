package dev.sensorengine.bench;

import com.google.protobuf.ByteString;
import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.engine.ResourceMetaCodec;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A connector behind the flyteidl gRPC API, driven as propeller drives it: flytekit FileSensor tasks through
 * CreateTask, GetTask and DeleteTask. The service (which starts a workflow and reads it back from Temporal) and
 * flytekit's own connector (which keeps nothing and pokes the target in every GetTask) get the same request bytes.
 */
final class ConnectorSide implements BenchSide {

    /** Propeller's deadline for a connector call. */
    private static final long DEADLINE_SECONDS = 10;

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").build();

    private final String name;
    private final AsyncAgentServiceBlockingStub agent;
    private final Duration interval;
    /** Ends a service sensor in Temporal at once; empty for flytekit, which holds nothing to end. */
    private final Optional<Terminator> terminator;

    private ConnectorSide(
            String name, AsyncAgentServiceBlockingStub agent, Duration interval, Optional<Terminator> terminator) {
        this.name = name;
        this.agent = agent;
        this.interval = interval;
        this.terminator = terminator;
    }

    /** The service, whose sensors poke every {@code interval} and are ended through its Temporal. */
    static ConnectorSide service(
            AsyncAgentServiceBlockingStub agent, WorkflowServiceStubs temporal, String namespace, Duration interval) {
        ResourceMetaCodec codec = new ResourceMetaCodec(namespace, RequestLimits.DEFAULTS);
        return new ConnectorSide(
                "service",
                agent,
                interval,
                Optional.of(meta -> RawSide.terminate(
                        temporal, namespace, codec.decode(meta.toByteArray()).workflowId())));
    }

    /** flytekit's connector; the task carries the same sensor_config, which flytekit ignores. */
    static ConnectorSide flytekit(AsyncAgentServiceBlockingStub agent, Duration interval) {
        return new ConnectorSide("flytekit", agent, interval, Optional.empty());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BenchSensor create(String tag, int index, String path) {
        var request = FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                "bench",
                "development",
                name + "-" + tag + "-" + index,
                "n0",
                0,
                "flytekit.sensor.file_sensor",
                "FileSensor",
                Map.of("poke_interval", interval.toMillis() / 1000.0),
                Map.of("path", path),
                Optional.empty()));
        ByteString meta = agent.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .createTask(request)
                .getResourceMeta();
        // The workflow id is read from the resource_meta only when the sensor is discarded, outside the timing.
        return new BenchSensor("", meta);
    }

    @Override
    public Observation observe(BenchSensor sensor) {
        var resource = agent.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setTaskType("sensor")
                        .setResourceMeta(sensor.resourceMeta())
                        .build())
                .getResource();
        var next = resource.getCustomInfo().getFieldsOrDefault("next_poke_time", null);
        return new Observation(
                resource.getPhase() == TaskExecution.Phase.SUCCEEDED,
                next == null ? Optional.empty() : Optional.of(Instant.parse(next.getStringValue())));
    }

    @Override
    public void delete(BenchSensor sensor) {
        agent.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .deleteTask(DeleteTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setTaskType("sensor")
                        .setResourceMeta(sensor.resourceMeta())
                        .build());
    }

    @Override
    public void discard(BenchSensor sensor) {
        terminator.ifPresent(t -> t.terminate(sensor.resourceMeta()));
    }

    /** Ends a sensor by its resource_meta. */
    private interface Terminator {
        void terminate(ByteString resourceMeta);
    }
}
