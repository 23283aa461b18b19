package dev.sensorengine.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.SensorSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A flytekit-shaped TaskTemplate.custom into a sensor spec. */
class SpecBuilderTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final EngineSettings SETTINGS = new EngineSettings(
            "default",
            "q",
            new PokeDefaults(Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofDays(7)),
            "http://ui",
            Duration.ofSeconds(5),
            false,
            RequestLimits.DEFAULTS,
            Duration.ofMinutes(10),
            "");

    private final SpecBuilder builder = new SpecBuilder(SETTINGS, SensorRegistry.load());

    @Test
    void flytekitsFileSensorGetsTheServiceDefaults() {
        SensorSpec spec = build(custom(null), Optional.empty());

        assertThat(spec.sensorModule()).isEqualTo("flytekit.sensor.file_sensor");
        assertThat(spec.sensorName()).isEqualTo("FileSensor");
        assertThat(spec.qualifiedName()).isEqualTo("flytekit.sensor.file_sensor.FileSensor");
        assertThat(spec.inputs()).containsEntry("path", "/data/x");
        assertThat(spec.config()).isEmpty();
        assertThat(spec.policy().interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.policy().backoff()).isEqualTo(Backoff.FIXED);
        assertThat(spec.policy().maxInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(spec.deadline()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThat(spec.wakeAt()).isNull();
    }

    @Test
    void sensorConfigSetsThePolicyAsStringsOrSeconds() {
        SensorSpec spec = build(
                custom(Map.of(
                        "poke_interval", "5s", "max_poke_interval", 120, "timeout", 3600.5, "backoff", "EXPONENTIAL")),
                Optional.empty());

        assertThat(spec.policy().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.policy().maxInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(spec.policy().timeout()).isEqualTo(Duration.ofMillis(3_600_500));
        assertThat(spec.policy().backoff()).isEqualTo(Backoff.EXPONENTIAL);
        assertThat(spec.config()).containsEntry("poke_interval", "5s");
    }

    @Test
    void theTimeoutComesFromConfigThenTemplateThenDefault() {
        assertThat(build(custom(Map.of("timeout", "1h")), Optional.of(Duration.ofHours(2)))
                        .policy()
                        .timeout())
                .isEqualTo(Duration.ofHours(1));
        assertThat(build(custom(null), Optional.of(Duration.ofHours(2)))
                        .policy()
                        .timeout())
                .isEqualTo(Duration.ofHours(2));
        assertThat(build(custom(null), Optional.of(Duration.ZERO)).policy().timeout())
                .isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aLongIntervalRaisesTheDefaultMaximum() {
        assertThat(build(custom(Map.of("poke_interval", "1h")), Optional.empty())
                        .policy()
                        .maxInterval())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void inconsistentOrMalformedConfigIsAnInvalidRequest() {
        assertThatThrownBy(() ->
                        build(custom(Map.of("poke_interval", "1m", "max_poke_interval", "10s")), Optional.empty()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("max poke interval");
        assertThatThrownBy(() -> build(custom(Map.of("poke_interval", "soon")), Optional.empty()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("sensor_config.poke_interval");
        assertThatThrownBy(() -> build(custom(Map.of("backoff", "linear")), Optional.empty()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'fixed' or 'exponential'");
        assertThatThrownBy(() -> build(custom(Map.of("timeout", true)), Optional.empty()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("sensor_config.timeout");
    }

    @Test
    void aCustomFieldThatIsNotFlytekitsIsAnInvalidRequest() {
        Map<String, Object> noName = custom(null);
        noName.remove("sensor_name");
        assertThatThrownBy(() -> build(noName, Optional.empty()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("TaskTemplate.custom.sensor_name is missing");
        Map<String, Object> numberName = custom(null);
        numberName.put("sensor_name", 7.0);
        assertThatThrownBy(() -> build(numberName, Optional.empty())).hasMessageContaining("must be a string");
        Map<String, Object> listConfig = custom(null);
        listConfig.put("sensor_config", List.of(1));
        assertThatThrownBy(() -> build(listConfig, Optional.empty()))
                .hasMessageContaining("sensor_config must be a struct");
    }

    @Test
    void aTimerSensorGetsItsMomentUpFront() {
        Map<String, Object> custom = custom(null);
        custom.put("sensor_name", "TimeDeltaSensor");
        SensorSpec spec = builder.build(
                new SensorTask(
                        new TaskExecution("", "", "", "", 0), custom, Map.of("delta", "PT90M"), Optional.empty()),
                NOW);

        assertThat(spec.wakeAt()).isEqualTo(NOW.plus(Duration.ofMinutes(90)));
    }

    @Test
    void aSensorNoJavaSensorClaimsIsPokedOnThePythonQueueWithItsLiterals() {
        SpecBuilder routing = new SpecBuilder(withPythonQueue("flyte-sensors-python"), SensorRegistry.load());
        Map<String, Object> custom = custom(Map.of("min_bytes", 3.0));
        custom.put("sensor_module", "my_team.sensors");
        custom.put("sensor_name", "FileSizeSensor");
        byte[] literals = {10, 4, 'p', 'a', 't', 'h'};
        byte[] types = {10, 1, 'x'};

        SensorSpec spec = routing.build(literalTask(custom, literals, types), NOW);

        assertThat(spec.pokeTaskQueue()).isEqualTo("flyte-sensors-python");
        assertThat(spec.flyteInputs()).isEqualTo(literals);
        assertThat(spec.flyteInputTypes()).isEqualTo(types);
        assertThat(spec.inputs()).containsEntry("path", "/data/x");
        assertThat(spec.config()).containsEntry("min_bytes", 3.0);
        // The schedule keys apply to Python sensors as to any other.
        assertThat(spec.policy().interval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aJavaSensorStaysOnTheServicesQueueAndCarriesNoLiterals() {
        SpecBuilder routing = new SpecBuilder(withPythonQueue("flyte-sensors-python"), SensorRegistry.load());
        Map<String, Object> custom = custom(null);
        // An author's own module with a class named like a built-in runs the built-in (Name alone matches).
        custom.put("sensor_module", "my_team.sensors");

        SensorSpec spec = routing.build(literalTask(custom, new byte[] {1}, new byte[] {2}), NOW);

        assertThat(spec.pokeTaskQueue()).isNull();
        assertThat(spec.flyteInputs()).isNull();
        assertThat(spec.flyteInputTypes()).isNull();
        assertThat(spec).isEqualTo(builder.build(literalTask(custom, null, null), NOW));
    }

    @Test
    void withPythonRoutingOffAnUnknownSensorIsBuiltAsBeforeAndFailsWhenPoked() {
        Map<String, Object> custom = custom(null);
        custom.put("sensor_name", "NoSuchSensor");

        SensorSpec spec = builder.build(literalTask(custom, new byte[] {1}, new byte[] {2}), NOW);

        assertThat(spec.pokeTaskQueue()).isNull();
        assertThat(spec.flyteInputs()).isNull();
    }

    @Test
    void aTaskTakenOverFromFlytekitsMetaIsRoutedWithPlainInputsOnly() {
        SpecBuilder routing = new SpecBuilder(withPythonQueue("py"), SensorRegistry.load());
        Map<String, Object> custom = custom(null);
        custom.put("sensor_module", "my_team.sensors");
        custom.put("sensor_name", "WaitForRows");

        SensorSpec spec = routing.build(literalTask(custom, null, null), NOW);

        assertThat(spec.pokeTaskQueue()).isEqualTo("py");
        assertThat(spec.flyteInputs()).isNull();
        assertThat(spec.inputs()).containsEntry("path", "/data/x");
    }

    private static EngineSettings withPythonQueue(String queue) {
        return new EngineSettings(
                SETTINGS.namespace(),
                SETTINGS.taskQueue(),
                SETTINGS.pokeDefaults(),
                SETTINGS.temporalUiUrl(),
                SETTINGS.temporalCallTimeout(),
                SETTINGS.searchAttributes(),
                SETTINGS.limits(),
                SETTINGS.outageGrace(),
                queue);
    }

    private static SensorTask literalTask(Map<String, Object> custom, byte[] literals, byte[] types) {
        return new SensorTask(
                new TaskExecution("p", "d", "e", "n0", 0),
                custom,
                Map.of("path", "/data/x"),
                Optional.empty(),
                literals,
                types);
    }

    private SensorSpec build(Map<String, Object> custom, Optional<Duration> templateTimeout) {
        return builder.build(
                new SensorTask(
                        new TaskExecution("p", "d", "e", "n0", 0), custom, Map.of("path", "/data/x"), templateTimeout),
                NOW);
    }

    @Test
    void inputsAndConfigNestedBeyondTheLimitAreRefusedWhereverTheyCameFrom() {
        // A flytekit resource_meta brings JSON values that never passed CreateTask's literal checks.
        Object atLimit = nestedList(32);
        SensorTask deepInput = new SensorTask(
                new TaskExecution("p", "d", "e", "n0", 0),
                custom(null),
                Map.of("path", nestedList(33)),
                Optional.empty());
        SensorTask deepConfig = new SensorTask(
                new TaskExecution("p", "d", "e", "n0", 0),
                custom(Map.of("k", nestedList(32))),
                Map.of("path", "/data/x"),
                Optional.empty());

        assertThat(builder.build(
                                new SensorTask(
                                        new TaskExecution("p", "d", "e", "n0", 0),
                                        custom(null),
                                        Map.of("path", atLimit),
                                        Optional.empty()),
                                NOW)
                        .inputs())
                .containsKey("path");
        assertThatThrownBy(() -> builder.build(deepInput, NOW))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("input 'path' nests 33 levels deep, over the limit of 32 (--max-literal-depth)");
        assertThatThrownBy(() -> builder.build(deepConfig, NOW))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("sensor_config nests 33 levels deep, over the limit of 32 (--max-literal-depth)");
    }

    private static Object nestedList(int depth) {
        Object value = "x";
        for (int level = 1; level < depth; level++) {
            value = List.of(value);
        }
        return value;
    }

    /** TaskTemplate.custom exactly as flytekit writes it. */
    private static Map<String, Object> custom(Map<String, Object> sensorConfig) {
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put("sensor_module", "flytekit.sensor.file_sensor");
        custom.put("sensor_name", "FileSensor");
        custom.put("sensor_config", sensorConfig == null ? null : new HashMap<>(sensorConfig));
        custom.put("inputs", null);
        return custom;
    }
}
