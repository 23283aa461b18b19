package dev.sensorengine.runtime;

import com.google.protobuf.Duration;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskExecutionMetadata;
import dev.sensorengine.flyteidl.core.IdentifierOuterClass.Identifier;
import dev.sensorengine.flyteidl.core.IdentifierOuterClass.NodeExecutionIdentifier;
import dev.sensorengine.flyteidl.core.IdentifierOuterClass.ResourceType;
import dev.sensorengine.flyteidl.core.IdentifierOuterClass.TaskExecutionIdentifier;
import dev.sensorengine.flyteidl.core.IdentifierOuterClass.WorkflowExecutionIdentifier;
import dev.sensorengine.flyteidl.core.Interface.TypedInterface;
import dev.sensorengine.flyteidl.core.Interface.Variable;
import dev.sensorengine.flyteidl.core.Interface.VariableMap;
import dev.sensorengine.flyteidl.core.Tasks.RuntimeMetadata;
import dev.sensorengine.flyteidl.core.Tasks.TaskMetadata;
import dev.sensorengine.flyteidl.core.Tasks.TaskTemplate;
import dev.sensorengine.flyteidl.core.Types.LiteralType;
import dev.sensorengine.flyteidl.core.Types.SimpleType;
import dev.sensorengine.literals.LiteralConverter;
import dev.sensorengine.literals.Structs;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@code CreateTaskRequest} the way propeller sends one for a task that flytekit registered from a
 * {@code BaseSensor} subclass: type {@code sensor}, flytekit's custom struct, the {@code poke()} parameters as
 * string inputs, and the task execution metadata of one attempt.
 */
public final class FlytekitSensorTasks {

    private FlytekitSensorTasks() {}

    /** A flytekit sensor task execution, e.g. module {@code flytekit.sensor.file_sensor}, name {@code FileSensor}. */
    public record Task(
            String project,
            String domain,
            String executionName,
            String nodeId,
            int retryAttempt,
            String sensorModule,
            String sensorName,
            Map<String, Object> sensorConfig,
            Map<String, ?> inputs,
            Optional<java.time.Duration> timeout) {

        /**
         * A first attempt of node {@code n0} in {@code flytesnacks/development}, with no {@code sensor_config} and no
         * task timeout: what most callers vary is only the execution, the sensor and its inputs.
         */
        public static Task of(String executionName, String sensorModule, String sensorName, Map<String, ?> inputs) {
            return new Task(
                    "flytesnacks",
                    "development",
                    executionName,
                    "n0",
                    0,
                    sensorModule,
                    sensorName,
                    Map.of(),
                    inputs,
                    Optional.empty());
        }

        /** flytekit's own {@code FileSensor} waiting for {@code path}. */
        public static Task fileSensor(String executionName, String path) {
            return of(executionName, "flytekit.sensor.file_sensor", "FileSensor", Map.of("path", path));
        }

        public Task withSensorConfig(Map<String, Object> config) {
            return with(retryAttempt, config, timeout);
        }

        public Task withTimeout(java.time.Duration taskTimeout) {
            return with(retryAttempt, sensorConfig, Optional.of(taskTimeout));
        }

        public Task withRetryAttempt(int attempt) {
            return with(attempt, sensorConfig, timeout);
        }

        private Task with(int attempt, Map<String, Object> config, Optional<java.time.Duration> taskTimeout) {
            return new Task(
                    project,
                    domain,
                    executionName,
                    nodeId,
                    attempt,
                    sensorModule,
                    sensorName,
                    config,
                    inputs,
                    taskTimeout);
        }
    }

    /** The Flyte type flytekit declares for a {@code poke()} parameter holding such a value. */
    private static SimpleType simpleType(Object value) {
        if (value instanceof java.time.Duration) {
            return SimpleType.DURATION;
        }
        if (value instanceof Instant) {
            return SimpleType.DATETIME;
        }
        if (value instanceof Long || value instanceof Integer) {
            return SimpleType.INTEGER;
        }
        if (value instanceof Double || value instanceof Float) {
            return SimpleType.FLOAT;
        }
        if (value instanceof Boolean) {
            return SimpleType.BOOLEAN;
        }
        return SimpleType.STRING;
    }

    public static CreateTaskRequest createRequest(Task task) {
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put("sensor_module", task.sensorModule());
        custom.put("sensor_name", task.sensorName());
        custom.put("sensor_config", task.sensorConfig().isEmpty() ? null : task.sensorConfig());
        custom.put("inputs", null);
        VariableMap.Builder inputs = VariableMap.newBuilder();
        task.inputs()
                .forEach((name, value) -> inputs.putVariables(
                        name,
                        Variable.newBuilder()
                                .setType(LiteralType.newBuilder().setSimple(simpleType(value)))
                                .setDescription(name)
                                .build()));
        TaskMetadata.Builder metadata = TaskMetadata.newBuilder()
                .setRuntime(RuntimeMetadata.newBuilder()
                        .setType(RuntimeMetadata.RuntimeType.FLYTE_SDK)
                        .setVersion("1.16.0")
                        .setFlavor("python"));
        task.timeout().ifPresent(t -> metadata.setTimeout(Duration.newBuilder().setSeconds(t.getSeconds())));
        TaskTemplate template = TaskTemplate.newBuilder()
                .setId(Identifier.newBuilder()
                        .setResourceType(ResourceType.TASK)
                        .setProject(task.project())
                        .setDomain(task.domain())
                        .setName("sensors." + task.sensorName().toLowerCase())
                        .setVersion("v1"))
                .setType("sensor")
                .setTaskTypeVersion(0)
                .setMetadata(metadata)
                .setInterface(
                        TypedInterface.newBuilder().setInputs(inputs).setOutputs(VariableMap.getDefaultInstance()))
                .setCustom(Structs.toStruct(custom))
                .build();
        TaskExecutionIdentifier execution = TaskExecutionIdentifier.newBuilder()
                .setTaskId(template.getId())
                .setNodeExecutionId(NodeExecutionIdentifier.newBuilder()
                        .setNodeId(task.nodeId())
                        .setExecutionId(WorkflowExecutionIdentifier.newBuilder()
                                .setProject(task.project())
                                .setDomain(task.domain())
                                .setName(task.executionName())))
                .setRetryAttempt(task.retryAttempt())
                .build();
        return CreateTaskRequest.newBuilder()
                .setInputs(LiteralConverter.toLiteralMap(task.inputs()))
                .setTemplate(template)
                .setOutputPrefix("s3://flyte-data/metadata/" + task.executionName() + "/" + task.nodeId() + "/"
                        + task.retryAttempt())
                .setTaskExecutionMetadata(TaskExecutionMetadata.newBuilder()
                        .setTaskExecutionId(execution)
                        .setNamespace(task.project() + "-" + task.domain())
                        .putLabels("execution-id", task.executionName())
                        .putAnnotations("cluster-autoscaler.kubernetes.io/safe-to-evict", "false")
                        .setK8SServiceAccount("default"))
                .build();
    }
}
