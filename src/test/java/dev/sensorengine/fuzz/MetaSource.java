package dev.sensorengine.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorengine.workflow.Json;
import io.grpc.Status.Code;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Where a fuzzed call's {@code resource_meta} comes from. Metas the service issued are only known while the fuzzer
 * runs, so a source picks one of them by index when the call is made, then maybe damages it.
 */
sealed interface MetaSource {

    ObjectMapper JSON = Json.newMapper();

    /** The meta's bytes, given the metas the service has issued so far (oldest first). */
    byte[] resolve(List<byte[]> issued);

    /** The statuses a call with a sensor category may legitimately end with, given this meta. */
    Set<Code> allowed();

    /** One of the metas the service issued, exactly: every call with it must succeed. */
    record Issued(int pick) implements MetaSource {
        @Override
        public byte[] resolve(List<byte[]> issued) {
            return issued.isEmpty()
                    ? forged("flyte-sensor:fuzz-first:" + pick)
                    : issued.get(Math.floorMod(pick, issued.size()));
        }

        @Override
        public Set<Code> allowed() {
            return Set.of(Code.OK);
        }
    }

    /** An issued meta with its bytes mutated. */
    record Garbled(int pick, List<ByteMutation> mutations) implements MetaSource {
        @Override
        public byte[] resolve(List<byte[]> issued) {
            return ByteMutation.applyAll(mutations, new Issued(pick).resolve(issued));
        }

        @Override
        public Set<Code> allowed() {
            return Set.of(Code.OK, Code.INVALID_ARGUMENT);
        }
    }

    /**
     * An issued meta with one field replaced, e.g. {@code spec.policy.timeout}; a {@code workflow_id} may be another
     * issued sensor's, so the call reaches a workflow the meta's spec does not describe.
     */
    record Edited(int pick, String field, Object value, int otherPick) implements MetaSource {
        @Override
        public byte[] resolve(List<byte[]> issued) {
            try {
                JsonNode tree = JSON.readTree(new Issued(pick).resolve(issued));
                JsonNode replacement = "other workflow".equals(value)
                        ? JSON.readTree(new Issued(otherPick).resolve(issued)).path("workflow_id")
                        : JSON.valueToTree(value);
                ObjectNode parent = (ObjectNode) tree;
                String[] path = field.split("\\.");
                for (int i = 0; i < path.length - 1; i++) {
                    parent = parent.get(path[i]) instanceof ObjectNode child ? child : parent.putObject(path[i]);
                }
                parent.set(path[path.length - 1], replacement);
                return JSON.writeValueAsBytes(tree);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Set<Code> allowed() {
            return Set.of(Code.OK, Code.INVALID_ARGUMENT);
        }
    }

    /** Bytes made up front: forged metas, flytekit's JSON with odd values, junk. */
    record Fixed(String label, byte[] bytes) implements MetaSource {
        @Override
        public byte[] resolve(List<byte[]> issued) {
            return bytes;
        }

        @Override
        public Set<Code> allowed() {
            return Set.of(Code.OK, Code.INVALID_ARGUMENT);
        }

        @Override
        public String toString() {
            String text = new String(bytes, StandardCharsets.UTF_8);
            return "Fixed[" + label + ", " + bytes.length + " bytes: "
                    + (text.length() > 300 ? text.substring(0, 300) + "…" : text) + "]";
        }
    }

    static Arbitrary<MetaSource> any() {
        Arbitrary<Integer> picks = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<String> fields = Arbitraries.of(
                "v",
                "namespace",
                "workflow_id",
                "spec",
                "spec.sensor_name",
                "spec.sensor_module",
                "spec.config",
                "spec.inputs",
                "spec.policy",
                "spec.policy.interval",
                "spec.policy.timeout",
                "spec.policy.max_interval",
                "spec.policy.backoff",
                "spec.created_at",
                "spec.wake_at",
                "spec.config.poke_interval",
                "spec.inputs.path");
        Arbitrary<Object> values = Arbitraries.oneOf(
                HostileValues.structValues(),
                Arbitraries.of(
                        "other workflow",
                        "flyte-sensor:",
                        "flyte-sensor:x",
                        "payments-42",
                        "PT-1S",
                        "PT0S",
                        "PT2562047788015215H",
                        "P106751991167300D",
                        "PT1H",
                        "-1000000000-01-01T00:00:00Z",
                        "+1000000000-12-31T23:59:59.999999999Z",
                        "2020-01-01T00:00:00Z",
                        "EXPONENTIAL",
                        "fixed",
                        2,
                        0,
                        -1,
                        9.2e18));
        return Arbitraries.frequencyOf(
                Tuple.of(6, picks.map(Issued::new)),
                Tuple.of(2, Combinators.combine(picks, ByteMutation.some()).as(Garbled::new)),
                Tuple.of(4, Combinators.combine(picks, fields, values, picks).as(Edited::new)),
                Tuple.of(3, fixed()));
    }

    private static Arbitrary<MetaSource> fixed() {
        Arbitrary<Object> values = HostileValues.structValues();
        Arbitrary<MetaSource> flytekit = Combinators.combine(values, values, values, values)
                .as((module, name, config, inputs) ->
                        new Fixed("flytekit", json(flytekitMap(module, name, config, inputs))));
        Arbitrary<MetaSource> flytekitFileSensor = HostileValues.strings()
                .map(path -> new Fixed(
                        "flytekit file",
                        json(flytekitMap("flytekit.sensor.file_sensor", "FileSensor", null, Map.of("path", path)))));
        Arbitrary<MetaSource> junk =
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(b -> new Fixed("junk", b));
        Arbitrary<MetaSource> deep = Arbitraries.integers()
                .between(1, 20_000)
                .map(depth -> new Fixed(
                        "deep json", ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8)));
        Arbitrary<MetaSource> deepObject = Arbitraries.integers()
                .between(1, 5_000)
                .map(depth -> new Fixed(
                        "deep flytekit",
                        ("{\"sensor_name\":\"FileSensor\",\"inputs\":" + "{\"a\":".repeat(depth) + "1"
                                        + "}".repeat(depth) + "}")
                                .getBytes(StandardCharsets.UTF_8)));
        Arbitrary<MetaSource> odd = Arbitraries.of(
                        "",
                        "null",
                        "{}",
                        "[]",
                        "1",
                        "\"x\"",
                        "{\"v\":1}",
                        "{\"v\":NaN}",
                        "{\"sensor_name\":NaN}",
                        "{\"sensor_name\":\"FileSensor\",\"inputs\":{\"path\":NaN}}",
                        "{\"v\":1,\"namespace\":\"default\",\"workflow_id\":\"flyte-sensor:x\"}",
                        "{\"v\":1,\"namespace\":\"default\",\"workflow_id\":\"flyte-sensor:x\",\"spec\":{}}",
                        "{\"v\":1,\"namespace\":\"default\",\"workflow_id\":\"flyte-sensor:x\",\"spec\":{\"sensor_name\":\"FileSensor\"}}",
                        "\uFEFF{\"v\":1}",
                        "{\"sensor_name\":\"FileSensor\",\"inputs\":{\"path\":\"\\uDC00\"}}",
                        "{\"v\":1}garbage",
                        "{\"sensor_name\":\"FileSensor\",\"sensor_name\":\"HttpSensor\"}")
                .map(text -> new Fixed("odd", text.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<MetaSource> forged =
                HostileValues.strings().map(id -> new Fixed("forged id", forged("flyte-sensor:" + id)));
        return Arbitraries.oneOf(flytekit, flytekitFileSensor, junk, deep, deepObject, odd, forged);
    }

    /** A meta of this service's format for a sensor nobody created: the service adopts it. */
    static byte[] forged(String workflowId) {
        Map<String, Object> policy =
                Map.of("interval", "PT1H", "backoff", "FIXED", "max_interval", "PT1H", "timeout", "PT2H");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("sensor_module", "flytekit.sensor.file_sensor");
        spec.put("sensor_name", "FileSensor");
        spec.put("config", Map.of());
        spec.put("inputs", Map.of("path", "/nonexistent/fuzz"));
        spec.put("policy", policy);
        spec.put("created_at", "2026-01-01T00:00:00Z");
        return json(Map.of("v", 1, "namespace", "default", "workflow_id", workflowId, "spec", spec));
    }

    private static Map<String, Object> flytekitMap(Object module, Object name, Object config, Object inputs) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("sensor_module", module);
        map.put("sensor_name", name);
        map.put("sensor_config", config);
        map.put("inputs", inputs);
        return map;
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
