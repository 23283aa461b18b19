package dev.sensorengine.engine;

/**
 * A {@code resource_meta} as {@link ResourceMetaCodec#read} found it: one this service issued, or one that
 * flytekit's own connector issued for a sensor this service takes over.
 */
sealed interface ReadMeta {

    /**
     * The sensor's workflow.
     *
     * @param outputPrefix the GetTask call's {@code output_prefix}, which tells apart executions whose flytekit metas
     *     are the same bytes; empty when the call carries none (DeleteTask, GetTaskLogs, GetTaskMetrics)
     */
    String workflowId(String outputPrefix);

    /** A meta this service issued: the sensor's whole spec and where its workflow lives. */
    record Issued(ResourceMeta meta) implements ReadMeta {
        @Override
        public String workflowId(String outputPrefix) {
            return meta.workflowId();
        }
    }

    /** flytekit's meta: the sensor to adopt, under a workflow id derived from the bytes and the execution. */
    record Flytekit(FlytekitMeta meta, byte[] bytes) implements ReadMeta {
        @Override
        public String workflowId(String outputPrefix) {
            return WorkflowIds.ofFlytekitMeta(bytes, outputPrefix);
        }
    }
}
