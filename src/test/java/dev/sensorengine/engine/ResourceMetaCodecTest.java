package dev.sensorengine.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResourceMetaCodecTest {

    private static final PokePolicy POLICY =
            new PokePolicy(Duration.ofSeconds(5), Backoff.EXPONENTIAL, Duration.ofMinutes(2), Duration.ofHours(1));
    private static final Instant CREATED = Instant.parse("2025-01-02T03:04:05.123456789Z");

    private final ResourceMetaCodec codec = new ResourceMetaCodec("default", RequestLimits.DEFAULTS);

    private static SensorSpec spec(Map<String, Object> config) {
        return new SensorSpec(
                "flytekit.sensor.file_sensor",
                "FileSensor",
                config,
                Map.of("path", "/data/in/_SUCCESS"),
                POLICY,
                CREATED);
    }

    private static ResourceMeta meta(SensorSpec spec) {
        return new ResourceMeta(ResourceMeta.VERSION, "default", "flyte-sensor:p:d:e:n0:0", spec);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A valid meta as JSON text, with {@code replace} applied, to forge variants of it. */
    private String json(String target, String replacement) {
        String json = new String(codec.encode(meta(spec(Map.of()))), StandardCharsets.UTF_8);
        assertThat(json).contains(target);
        return json.replace(target, replacement);
    }

    @Test
    void roundTripGivesAnEqualMeta() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("poke_interval", "5s");
        config.put("suffixes", List.of(".done", ".ok"));
        config.put("nested", Map.of("flag", true, "name", "x"));
        ResourceMeta meta = meta(spec(config));

        assertThat(codec.decode(codec.encode(meta))).isEqualTo(meta);
    }

    @Test
    void roundTripKeepsPlainValueTypes() {
        // Sensors see inputs as Flyte literals map them: integers are Long, floats Double.
        SensorSpec spec = new SensorSpec(
                "m",
                "S",
                Map.of("retries", 3L),
                Map.of("count", 5L, "big", 5_000_000_000L, "ratio", 0.5, "flag", true, "items", List.of(1L, 2L)),
                POLICY,
                CREATED);
        ResourceMeta meta = meta(spec);

        ResourceMeta decoded = codec.decode(codec.encode(meta));

        assertThat(decoded.spec().inputs().get("count")).isInstanceOf(Long.class);
        assertThat(decoded.spec().config().get("retries")).isInstanceOf(Long.class);
        assertThat(decoded).isEqualTo(meta);
    }

    @Test
    void aJavaSensorsMetaHoldsNoneOfThePythonFields() {
        String json = new String(codec.encode(meta(spec(Map.of()))), StandardCharsets.UTF_8);

        // The same bytes as before Python sensors existed: the fields are left out when null.
        assertThat(json).doesNotContain("poke_task_queue").doesNotContain("flyte_inputs");
        assertThat(json).contains("\"wake_at\":null");
    }

    @Test
    void aPythonSensorsQueueAndLiteralsRoundTripAsBase64() {
        byte[] literals = {10, 4, 'p', 'a', 't', 'h', (byte) 0xff};
        SensorSpec spec = new SensorSpec(
                "example_sensors",
                "FileSizeSensor",
                Map.of("min_bytes", 3.0),
                Map.of("path", "/data/in/_SUCCESS"),
                POLICY,
                CREATED,
                null,
                "flyte-sensors-python",
                literals,
                new byte[0]);
        ResourceMeta meta = meta(spec);

        byte[] encoded = codec.encode(meta);
        ResourceMeta decoded = codec.decode(encoded);

        assertThat(new String(encoded, StandardCharsets.UTF_8))
                .contains("\"flyte_inputs\":\"" + Base64.getEncoder().encodeToString(literals) + "\"")
                .contains("\"flyte_input_types\":\"\"")
                .contains("\"poke_task_queue\":\"flyte-sensors-python\"");
        assertThat(decoded).isEqualTo(meta);
        assertThat(decoded.spec().flyteInputs()).isEqualTo(literals);
        assertThat(decoded.spec().flyteInputTypes()).isEmpty();
        assertThat(decoded.spec().toString()).contains("flyteInputs=7 bytes").doesNotContain("[B@");
    }

    @Test
    void equalMetasEncodeToTheSameBytes() {
        Map<String, Object> forward = new LinkedHashMap<>();
        forward.put("a", "1");
        forward.put("b", Map.of("y", "2", "x", "3"));
        forward.put("c", "4");
        Map<String, Object> backward = new LinkedHashMap<>();
        backward.put("c", "4");
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("x", "3");
        nested.put("y", "2");
        backward.put("b", nested);
        backward.put("a", "1");

        byte[] first = codec.encode(meta(spec(forward)));
        byte[] second = codec.encode(meta(spec(backward)));

        assertThat(second).isEqualTo(first);
        assertThat(new String(first, StandardCharsets.UTF_8))
                .contains("\"a\":\"1\",\"b\":{\"x\":\"3\",\"y\":\"2\"},\"c\"");
    }

    @Test
    void rejectsEmptyBytes() {
        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("resource_meta is empty");
        assertThatThrownBy(() -> codec.decode(null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("resource_meta is empty");
    }

    @Test
    void rejectsWhatIsNotJson() {
        assertThatThrownBy(() -> codec.decode(utf8("not json at all")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not one this service issued")
                .hasMessageNotContaining("\n");
        byte[] random = new byte[64];
        new Random(42).nextBytes(random);
        assertThatThrownBy(() -> codec.decode(random))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not one this service issued");
    }

    @Test
    void rejectsJsonOfTheWrongShape() {
        assertThatThrownBy(() -> codec.decode(utf8("[1, 2, 3]")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not one this service issued");
        assertThatThrownBy(() -> codec.decode(utf8("{}")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("version 0")
                .hasMessageContaining("reads version 1");
        assertThatThrownBy(() -> codec.decode(utf8("null")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("version none");
        assertThatThrownBy(() -> codec.decode(utf8(json("\"spec\":{", "\"spec\":{\"policy\":\"often\","))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not one this service issued");
    }

    @Test
    void rejectsTextWithAnUnpairedSurrogate() {
        // Found by ApiFuzzTest: such a path reached GetTask's and GetTaskLogs' messages, which protobuf sent with '?'
        // and a logged stack trace each time.
        byte[] flytekit = utf8("{\"sensor_name\": \"FileSensor\", \"inputs\": {\"path\": \"/data/\\uDC00\"}}");
        byte[] ours = utf8(json("/data/in/_SUCCESS", "/data/\\uD800x"));

        assertThatThrownBy(() -> flytekit(flytekit))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("unpaired UTF-16 surrogate")
                .hasMessageContaining("\\uDC00");
        assertThatThrownBy(() -> codec.decode(ours))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("unpaired UTF-16 surrogate");
        assertThat(flytekit(utf8("{\"sensor_name\": \"FileSensor\", \"inputs\": {\"path\": \"\\uD83D\\uDE00\"}}"))
                        .inputs())
                .containsEntry("path", "\uD83D\uDE00");
    }

    @Test
    void rejectsAnotherVersion() {
        assertThatThrownBy(() -> codec.decode(utf8(json("\"v\":1", "\"v\":2"))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("version 2")
                .hasMessageContaining("reads version 1");
    }

    @Test
    void rejectsAnotherNamespace() {
        assertThatThrownBy(() -> codec.decode(utf8(json("\"namespace\":\"default\"", "\"namespace\":\"prod\""))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'prod'")
                .hasMessageContaining("serves 'default'");
    }

    @Test
    void rejectsAForgedMetaNamingAnotherWorkflow() {
        for (String id : new String[] {"payments-cron", "flyte-sensor", "flyte-sensor:", "x-flyte-sensor:p:d:e:n0:0"}) {
            byte[] forged = utf8(json("\"flyte-sensor:p:d:e:n0:0\"", "\"" + id + "\""));
            assertThatThrownBy(() -> codec.decode(forged))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("'" + id + "'")
                    .hasMessageContaining("not a sensor of this service")
                    .hasMessageContaining(WorkflowIds.PREFIX);
        }
        byte[] missing = utf8(json("\"workflow_id\":\"flyte-sensor:p:d:e:n0:0\",", ""));
        assertThatThrownBy(() -> codec.decode(missing))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not a sensor of this service");
    }

    @Test
    void rejectsAMetaWithoutSpec() {
        byte[] bytes = codec.encode(new ResourceMeta(ResourceMeta.VERSION, "default", "flyte-sensor:p:d:e:n0:0", null));

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("no sensor spec");
    }

    @Test
    void aFlytekitMetaNestedBeyondJacksonsLimitIsAnInvalidRequestNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        byte[] meta = utf8("{\"sensor_name\":\"FileSensor\",\"inputs\":{\"path\":" + deep + "}}");

        assertThatThrownBy(() -> flytekit(meta))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("nor flytekit's");
    }

    @Test
    void aFlytekitMetaJustWithinJacksonsLimitDecodesForTheSpecBuilderToMeasure() {
        String deep = "[".repeat(990) + "]".repeat(990);
        byte[] meta = utf8("{\"sensor_name\":\"FileSensor\",\"inputs\":{\"path\":" + deep + "}}");

        assertThat(flytekit(meta).task().inputs()).containsKey("path");
    }

    private FlytekitMeta flytekit(byte[] bytes) {
        return ((ReadMeta.Flytekit) codec.read(bytes)).meta();
    }
}
