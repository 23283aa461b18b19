package dev.sensorengine.engine;

import dev.sensorengine.literals.Nesting;
import dev.sensorengine.sensors.DurationText;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.sensors.TimerSensor;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a flytekit sensor task into a {@link SensorSpec}. {@code TaskTemplate.custom} is flytekit's
 * {@code {"sensor_module", "sensor_name", "sensor_config", "inputs"}}; the poke policy comes from the
 * {@code sensor_config} keys {@code poke_interval}, {@code backoff}, {@code max_poke_interval} and {@code timeout},
 * then {@code TaskTemplate.metadata.timeout}, then the service defaults.
 *
 * <p>Routing is decided here, once, at creation: a sensor whose class no Java sensor claims ({@code module.Name}, then
 * {@code Name}, as {@link SensorRegistry#find} looks) has its pokes scheduled on the Python task queue, and carries
 * the task's literals for the Python worker; with Python routing off it is built like any other and fails as an
 * unknown sensor when poked.
 */
public final class SpecBuilder {

    private final EngineSettings settings;
    private final SensorRegistry sensors;

    public SpecBuilder(EngineSettings settings, SensorRegistry sensors) {
        this.settings = settings;
        this.sensors = sensors;
    }

    /** @throws InvalidRequestException when the task is not a sensor task or its configuration is malformed */
    public SensorSpec build(SensorTask task, Instant createdAt) {
        Map<String, Object> custom = task.custom();
        String name = requiredText(custom, "sensor_name");
        String module = optionalText(custom, "sensor_module");
        Map<String, Object> config = configOf(custom.get("sensor_config"));
        checkDepth(task.inputs(), config);
        PokePolicy policy = policy(config, task);
        if (settings.routesToPython() && sensors.find(module, name).isEmpty()) {
            // No Java sensor claims the class: a Python worker pokes it, with the literals for flytekit's TypeEngine.
            return new SensorSpec(
                    module,
                    name,
                    config,
                    task.inputs(),
                    policy,
                    createdAt,
                    null,
                    settings.pythonTaskQueue(),
                    task.flyteInputs(),
                    task.flyteInputTypes());
        }
        return new SensorSpec(
                module,
                name,
                config,
                task.inputs(),
                policy,
                createdAt,
                wakeAt(module, name, new PokeRequest(task.inputs(), config), createdAt));
    }

    /**
     * The plain values are measured again because not all of them came through CreateTask's literal checks: the
     * inputs and config of a flytekit resource_meta are JSON, and the spec is stored with them.
     */
    private void checkDepth(Map<String, Object> inputs, Map<String, Object> config) {
        RequestLimits limits = settings.limits();
        inputs.forEach((name, value) -> limits.checkInputDepth(name, Nesting.depthOfPlain(value)));
        limits.checkDepth("sensor_config", Nesting.depthOfPlain(config));
    }

    /** A timer sensor's moment, computed here so the workflow can sleep instead of poking. */
    private Instant wakeAt(String module, String name, PokeRequest request, Instant createdAt) {
        if (!(sensors.find(module, name).orElse(null) instanceof TimerSensor timer)) {
            return null;
        }
        try {
            return timer.wakeAt(request, createdAt);
        } catch (SensorConfigurationException e) {
            throw new InvalidRequestException(name + ": " + e.getMessage(), e);
        }
    }

    private PokePolicy policy(Map<String, Object> config, SensorTask task) {
        Duration interval =
                duration(config, "poke_interval").orElse(settings.pokeDefaults().interval());
        Duration max = duration(config, "max_poke_interval")
                .orElse(
                        interval.compareTo(settings.pokeDefaults().maxInterval()) > 0
                                ? interval
                                : settings.pokeDefaults().maxInterval());
        Duration timeout = duration(config, "timeout")
                .or(() -> task.templateTimeout().filter(t -> !t.isZero()))
                .orElse(settings.pokeDefaults().timeout());
        Backoff backoff = backoff(config.get("backoff"));
        try {
            return new PokePolicy(interval, backoff, max, timeout);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("sensor_config is inconsistent: " + e.getMessage());
        }
    }

    private static Optional<Duration> duration(Map<String, Object> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            // flytekit configs are Python dicts: a bare number is seconds, a string is "30s", "5m" or ISO-8601.
            if (value instanceof Number number) {
                return Optional.of(Duration.ofMillis(Math.round(number.doubleValue() * 1000)));
            }
            if (value instanceof String text) {
                return Optional.of(DurationText.parse(text));
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("sensor_config." + key + ": " + e.getMessage());
        }
        throw new InvalidRequestException(
                "sensor_config." + key + " must be a number of seconds or a duration such as " + "'30s', got " + value);
    }

    private static Backoff backoff(Object value) {
        if (value == null) {
            return Backoff.FIXED;
        }
        try {
            return Backoff.valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(
                    "sensor_config.backoff must be 'fixed' or 'exponential', got '" + value + "'");
        }
    }

    private static Map<String, Object> configOf(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> config = new LinkedHashMap<>();
            map.forEach((k, v) -> config.put(String.valueOf(k), v));
            return config;
        }
        throw new InvalidRequestException("TaskTemplate.custom.sensor_config must be a struct or null, got " + value);
    }

    private static String requiredText(Map<String, Object> custom, String key) {
        String text = optionalText(custom, key);
        if (text.isEmpty()) {
            throw new InvalidRequestException(
                    "TaskTemplate.custom." + key + " is missing; a sensor task's custom field "
                            + "is flytekit's {sensor_module, sensor_name, sensor_config, inputs}");
        }
        return text;
    }

    private static String optionalText(Map<String, Object> custom, String key) {
        Object value = custom.get(key);
        if (value == null) {
            return "";
        }
        if (value instanceof String text) {
            return text.trim();
        }
        throw new InvalidRequestException("TaskTemplate.custom." + key + " must be a string, got " + value);
    }
}
