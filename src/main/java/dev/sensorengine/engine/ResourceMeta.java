package dev.sensorengine.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sensorengine.workflow.SensorSpec;

/**
 * What propeller keeps for a sensor and sends back on every call: the format version, the namespace and
 * workflow id, and the spec itself, so a sensor whose workflow is gone can be started again with its
 * original deadline.
 */
public record ResourceMeta(@JsonProperty("v") int version, String namespace, String workflowId, SensorSpec spec) {

    public static final int VERSION = 1;
}
