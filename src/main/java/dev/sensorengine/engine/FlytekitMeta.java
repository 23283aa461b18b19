package dev.sensorengine.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code resource_meta} flytekit's Python connector issues: the JSON of
 * {@code {"sensor_module", "sensor_name", "sensor_config", "inputs"}} with native input values. Accepting it lets a
 * platform switch connectors while sensors are waiting.
 */
record FlytekitMeta(
        String sensorModule, String sensorName, Map<String, Object> sensorConfig, Map<String, Object> inputs) {

    /** The task this meta stands for, as if propeller had just created it without an execution id. */
    SensorTask task() {
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put("sensor_module", sensorModule);
        custom.put("sensor_name", sensorName);
        custom.put("sensor_config", sensorConfig);
        return new SensorTask(new TaskExecution("", "", "", "", 0), custom, inputs, Optional.empty());
    }
}
