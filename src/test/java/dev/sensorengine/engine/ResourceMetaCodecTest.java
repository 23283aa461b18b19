package dev.sensorengine.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceMetaCodecTest {

    private final ResourceMetaCodec codec = new ResourceMetaCodec("default");

    @Test
    void roundTripsAndEqualMetasEncodeToEqualBytes() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("poke_interval", "5s");
        config.put("match", "exact");
        Map<String, Object> reversed = new LinkedHashMap<>();
        reversed.put("match", "exact");
        reversed.put("poke_interval", "5s");

        byte[] bytes = codec.encode(meta("flyte-sensor:p:d:e:n0:0", config));

        assertThat(codec.decode(bytes)).isEqualTo(meta("flyte-sensor:p:d:e:n0:0", config));
        assertThat(codec.encode(meta("flyte-sensor:p:d:e:n0:0", reversed))).isEqualTo(bytes);
        assertThat(bytes.length).isLessThan(512);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "{", "[]", "null", "{\"v\":1}", "{\"v\":\"one\"}", "{\"sensor_name\":1}"})
    void garbageIsAnInvalidRequest(String text) {
        assertThatThrownBy(() -> codec.decode(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("resource_meta");
    }

    @Test
    void randomBytesAreAnInvalidRequest() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[random.nextInt(64) + 1];
            random.nextBytes(bytes);
            assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void anotherVersionOrNamespaceOrAForeignWorkflowIsRefused() {
        String good = new String(codec.encode(meta("flyte-sensor:x", Map.of())), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(good.replace("\"v\":1", "\"v\":2").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> codec.decode(good.replace("\"default\"", "\"payments\"").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("namespace 'payments'");
        assertThatThrownBy(() -> codec.decode(codec.encode(meta("payments-settlement-42", Map.of()))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a sensor of this service");
        assertThatThrownBy(() -> codec.decode(codec.encode(meta("flyte-sensor:", Map.of()))))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void workflowIdsAreDeterministicReadableAndUnambiguous() {
        SensorSpec spec = meta("x", Map.of()).spec();

        assertThat(WorkflowIds.of(new TaskExecution("flytesnacks", "development", "abc123", "n0", 2), spec))
                .isEqualTo("flyte-sensor:flytesnacks:development:abc123:n0:2");
        assertThat(WorkflowIds.of(new TaskExecution("a:b", "c", "e", "n", 0), spec))
                .isNotEqualTo(WorkflowIds.of(new TaskExecution("a", "b:c", "e", "n", 0), spec));
        String byHash = WorkflowIds.of(new TaskExecution("", "", "", "", 0), spec);
        assertThat(byHash).startsWith("flyte-sensor:spec:");
        SensorSpec later = new SensorSpec(spec.sensorModule(), spec.sensorName(), spec.config(), spec.inputs(),
                spec.policy(), spec.createdAt().plusSeconds(60));
        assertThat(WorkflowIds.of(new TaskExecution("", "", "", "", 0), later)).isEqualTo(byHash);
        SensorSpec other = new SensorSpec(spec.sensorModule(), spec.sensorName(), spec.config(), Map.of("path", "/y"),
                spec.policy(), spec.createdAt());
        assertThat(WorkflowIds.of(new TaskExecution("", "", "", "", 0), other)).isNotEqualTo(byHash);
    }

    private static ResourceMeta meta(String workflowId, Map<String, Object> config) {
        return new ResourceMeta(ResourceMeta.VERSION, "default", workflowId, new SensorSpec("flytekit.sensor.file_sensor",
                "FileSensor", config, Map.of("path", "/x"),
                new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10), Duration.ofDays(7)),
                Instant.parse("2026-11-28T12:00:00.123Z")));
    }
}
