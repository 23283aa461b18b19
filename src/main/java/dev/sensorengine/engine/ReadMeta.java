package dev.sensorengine.engine;

/**
 * A {@code resource_meta} as {@link ResourceMetaCodec#read} found it: one this service issued, or one that
 * flytekit's own connector issued for a sensor this service takes over.
 */
sealed interface ReadMeta {

    /** The sensor's workflow. */
    String workflowId();

    /** A meta this service issued: the sensor's whole spec and where its workflow lives. */
    record Issued(ResourceMeta meta) implements ReadMeta {
        @Override
        public String workflowId() {
            return meta.workflowId();
        }
    }

    /** flytekit's meta: the sensor to adopt, under a workflow id derived from the bytes. */
    record Flytekit(FlytekitMeta meta, String workflowId) implements ReadMeta {}
}
