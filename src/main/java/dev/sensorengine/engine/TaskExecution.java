package dev.sensorengine.engine;

/** Flyte's identity of one task execution attempt, from {@code TaskExecutionMetadata.task_execution_id}. */
public record TaskExecution(String project, String domain, String executionName, String nodeId, int retryAttempt) {

    /** True when the metadata carried an execution to name the sensor after. */
    public boolean isKnown() {
        return !executionName.isEmpty() && !nodeId.isEmpty();
    }
}
