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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The service's side: flytekit FileSensor tasks through CreateTask and GetTask, as propeller sends them. */
final class ServiceSide implements BenchSide {

    /** Propeller's deadline for a connector call. */
    private static final long DEADLINE_SECONDS = 10;

    private final AsyncAgentServiceBlockingStub agent;
    private final WorkflowServiceStubs temporal;
    private final String namespace;
    private final ResourceMetaCodec codec;
    private final Duration interval;

    ServiceSide(
            AsyncAgentServiceBlockingStub agent, WorkflowServiceStubs temporal, String namespace, Duration interval) {
        this.agent = agent;
        this.temporal = temporal;
        this.namespace = namespace;
        this.codec = new ResourceMetaCodec(namespace, RequestLimits.DEFAULTS);
        this.interval = interval;
    }

    @Override
    public String name() {
        return "service";
    }

    @Override
    public BenchSensor create(String tag, int index, Path path) {
        var request = FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                "bench",
                "development",
                "svc-" + tag + "-" + index,
                "n0",
                0,
                "flytekit.sensor.file_sensor",
                "FileSensor",
                Map.of("poke_interval", interval.toMillis() / 1000.0),
                Map.of("path", path.toString()),
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
                        .setTaskCategory(TaskCategory.newBuilder().setName("sensor"))
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
                        .setTaskCategory(TaskCategory.newBuilder().setName("sensor"))
                        .setResourceMeta(sensor.resourceMeta())
                        .build());
    }

    @Override
    public void discard(BenchSensor sensor) {
        RawSide.terminate(
                temporal,
                namespace,
                codec.decode(sensor.resourceMeta().toByteArray()).workflowId());
    }
}
