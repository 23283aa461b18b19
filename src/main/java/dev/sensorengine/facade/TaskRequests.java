package dev.sensorengine.facade;

import com.google.protobuf.Timestamp;
import dev.sensorengine.engine.LogEntry;
import dev.sensorengine.engine.SensorStatus;
import dev.sensorengine.engine.SensorTask;
import dev.sensorengine.engine.TaskExecution;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.LogLine;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.LogLineOriginator;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskExecutionMetadata;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.core.Execution.TaskLog;
import dev.sensorengine.flyteidl.core.IdentifierOuterClass.TaskExecutionIdentifier;
import dev.sensorengine.flyteidl.core.Tasks.TaskTemplate;
import dev.sensorengine.literals.LiteralConverter;
import dev.sensorengine.literals.PlainValues;
import dev.sensorengine.literals.Structs;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Translates between flyteidl messages and the engine's values; no logic of its own. */
final class TaskRequests {

    private TaskRequests() {}

    /** A {@code CreateTaskRequest} as the engine's {@link SensorTask}, once its literals are within the limits. */
    static SensorTask sensorTask(CreateTaskRequest request, CreateTaskChecks checks) {
        if (!request.hasTemplate()) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("CreateTaskRequest.template is missing")
                    .asRuntimeException();
        }
        TaskTemplate template = request.getTemplate();
        checks.check(request.getInputs(), template.getCustom());
        if (!TaskCategories.SENSOR.equals(template.getType())) {
            throw TaskCategories.notServed(template.getType() + " v" + template.getTaskTypeVersion());
        }
        Optional<Duration> timeout = template.getMetadata().hasTimeout()
                ? Optional.of(timeout(template.getMetadata().getTimeout()))
                : Optional.empty();
        return new SensorTask(
                execution(request.getTaskExecutionMetadata()),
                Structs.toMap(template.getCustom()),
                PlainValues.of(LiteralConverter.toValues(request.getInputs())),
                timeout,
                // Opaque to the engine: a sensor that only the Python worker runs converts them with flytekit.
                request.getInputs().toByteArray(),
                template.getInterface().getInputs().toByteArray());
    }

    private static Duration timeout(com.google.protobuf.Duration timeout) {
        try {
            return Duration.ofSeconds(timeout.getSeconds(), timeout.getNanos());
        } catch (ArithmeticException e) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("TaskTemplate.metadata.timeout (" + timeout.getSeconds() + " s, "
                            + timeout.getNanos() + " ns) is beyond what a duration can hold")
                    .asRuntimeException();
        }
    }

    private static TaskExecution execution(TaskExecutionMetadata metadata) {
        TaskExecutionIdentifier id = metadata.getTaskExecutionId();
        var node = id.getNodeExecutionId();
        var workflow = node.getExecutionId();
        return new TaskExecution(
                workflow.getProject(),
                workflow.getDomain(),
                workflow.getName(),
                node.getNodeId(),
                id.getRetryAttempt());
    }

    /** The engine's status as Flyte's {@code Resource}. */
    static Resource resource(SensorStatus status) {
        Phase phase = switch (status.phase()) {
            case RUNNING -> Phase.RUNNING;
            case SUCCEEDED -> Phase.SUCCEEDED;
            case FAILED -> Phase.FAILED;
            case ABORTED -> Phase.ABORTED;
        };
        Resource.Builder resource = Resource.newBuilder()
                .setPhase(phase)
                .setMessage(status.message())
                .setCustomInfo(Structs.toStruct(status.customInfo()));
        status.logUrl()
                .ifPresent(url -> resource.addLogLinks(TaskLog.newBuilder()
                        .setName(status.logName())
                        .setUri(url)
                        .setShowWhilePending(true)));
        return resource.build();
    }

    static LogLine logLine(LogEntry entry) {
        return LogLine.newBuilder()
                .setTimestamp(timestamp(entry.time()))
                .setMessage(entry.message() + "\n")
                .setOriginator(LogLineOriginator.SYSTEM)
                .build();
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }
}
