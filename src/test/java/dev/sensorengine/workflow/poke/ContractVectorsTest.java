package dev.sensorengine.workflow.poke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorengine.flyteidl.core.Interface.VariableMap;
import dev.sensorengine.flyteidl.core.Literals.LiteralMap;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.PokeSchedule;
import dev.sensorengine.workflow.SensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared vectors of the poke activity's contract ({@code contract/vectors/*.json}, contract/poke-activity.md), run
 * against the Java side: the schedule ({@link PokeSchedule}), decoding the spec ({@link Json}), one attempt's outcome
 * ({@link PokeDecision}) and the deadline clamp. The Python worker runs the same files.
 */
class ContractVectorsTest {

    private static final Path VECTORS = Path.of("contract", "vectors");
    private static final ObjectMapper JSON = Json.newMapper();
    /** For comparing trees: integers as the JSON wrote them, whatever Java type they were held in. */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    static Stream<Named<JsonNode>> schedule() throws IOException {
        return cases("schedule");
    }

    static Stream<Named<JsonNode>> spec() throws IOException {
        return cases("spec");
    }

    static Stream<Named<JsonNode>> outcome() throws IOException {
        return cases("outcome");
    }

    static Stream<Named<JsonNode>> deadline() throws IOException {
        return cases("deadline");
    }

    @ParameterizedTest
    @MethodSource("schedule")
    void theScheduleGivesTheDelayOfTheVector(JsonNode vector) throws IOException {
        PokeSchedule schedule = new PokeSchedule(JSON.treeToValue(vector.get("policy"), PokePolicy.class));
        int index = vector.get("index").intValue();
        double random = vector.get("random").doubleValue();

        Duration delay = switch (vector.get("outcome").textValue()) {
            case "not_ready" -> schedule.afterNotReady(index, random);
            case "error" -> schedule.afterError(index, random);
            default -> throw new IllegalArgumentException("unknown outcome in " + vector);
        };

        assertThat(delay.toMillis()).isEqualTo(vector.get("delay_ms").longValue());
    }

    @ParameterizedTest
    @MethodSource("spec")
    void theSpecDecodesAsTheVectorSays(JsonNode vector) throws IOException {
        String json = PLAIN.writeValueAsString(vector.get("json"));
        if (vector.has("refused")) {
            Throwable refusal = catchThrowable(() -> JSON.readValue(json, SensorSpec.class));
            assertThat(refusal).isInstanceOf(JsonMappingException.class);
            String said = refusal.getClass().getSimpleName() + ": "
                    + ((JsonProcessingException) refusal).getOriginalMessage();
            assertThat(said).startsWith(vector.get("refused").get("java_error").textValue());
            return;
        }
        SensorSpec spec = JSON.readValue(json, SensorSpec.class);
        JsonNode expect = vector.get("expect");

        assertThat(spec.sensorModule()).isEqualTo(expect.get("sensor_module").textValue());
        assertThat(spec.sensorName()).isEqualTo(expect.get("sensor_name").textValue());
        assertThat(spec.qualifiedName()).isEqualTo(expect.get("qualified_name").textValue());
        assertThat(plain(spec.config())).isEqualTo(plain(expect.get("config")));
        assertThat(plain(spec.inputs())).isEqualTo(plain(expect.get("inputs")));
        JsonNode policy = expect.get("policy");
        assertThat(spec.policy().interval().toMillis())
                .isEqualTo(policy.get("interval_ms").longValue());
        assertThat(spec.policy().backoff().name())
                .isEqualTo(policy.get("backoff").textValue());
        assertThat(spec.policy().maxInterval().toMillis())
                .isEqualTo(policy.get("max_interval_ms").longValue());
        assertThat(spec.policy().timeout().toMillis())
                .isEqualTo(policy.get("timeout_ms").longValue());
        assertThat(micros(spec.createdAt()))
                .isEqualTo(expect.get("created_at_epoch_micros").longValue());
        JsonNode wakeAt = expect.get("wake_at_epoch_micros");
        assertThat(spec.wakeAt() == null ? null : micros(spec.wakeAt()))
                .isEqualTo(wakeAt.isNull() ? null : wakeAt.longValue());
        // Python sensors' literals: opaque bytes to the Java side, held and written back as they came.
        assertThat(literalNames(spec.flyteInputs())).isEqualTo(names(expect.get("flyte_inputs_names")));
        assertThat(variableNames(spec.flyteInputTypes())).isEqualTo(names(expect.get("flyte_input_types_names")));
        JsonNode written = PLAIN.readTree(JSON.writeValueAsString(spec));
        for (String field : List.of("flyte_inputs", "flyte_input_types")) {
            assertThat(written.get(field))
                    .as(field)
                    .isEqualTo(vector.get("json").get(field));
        }
    }

    private static List<String> literalNames(byte[] bytes) throws IOException {
        return bytes == null
                ? null
                : LiteralMap.parseFrom(bytes).getLiteralsMap().keySet().stream()
                        .sorted()
                        .toList();
    }

    private static List<String> variableNames(byte[] bytes) throws IOException {
        return bytes == null
                ? null
                : VariableMap.parseFrom(bytes).getVariablesMap().keySet().stream()
                        .sorted()
                        .toList();
    }

    private static List<String> names(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        node.forEach(name -> names.add(name.textValue()));
        return names;
    }

    @ParameterizedTest
    @MethodSource("outcome")
    void oneAttemptEndsAsTheVectorSays(JsonNode vector) throws IOException {
        PokePolicy policy = JSON.treeToValue(vector.get("policy"), PokePolicy.class);
        JsonNode details = vector.get("heartbeat_details");

        PokeDecision decision = PokeDecision.of(
                policy,
                vector.get("attempt").intValue(),
                ErrorStreak.fromDetails(details.isNull() ? null : details),
                outcome(vector.get("poke")),
                vector.get("random").doubleValue(),
                // The vectors' sensors were created now: their deadline is a whole timeout away.
                policy.timeout());

        JsonNode expect = vector.get("expect");
        assertThat(decision.result()).isEqualTo(expect.get("result").textValue());
        // The heartbeat as the payload converter writes it.
        Optional<JsonNode> heartbeat = decision.heartbeat().isEmpty()
                ? Optional.empty()
                : Optional.of(plain(decision.heartbeat().get()));
        assertThat(heartbeat)
                .isEqualTo(
                        expect.get("heartbeat").isNull()
                                ? Optional.empty()
                                : Optional.of(plain(expect.get("heartbeat"))));
        JsonNode failure = expect.get("failure");
        if (failure.isNull()) {
            assertThat(decision.failureType()).isEmpty();
            return;
        }
        assertThat(decision.failureType()).contains(failure.get("type").textValue());
        assertThat(decision.nonRetryable())
                .isEqualTo(failure.get("non_retryable").booleanValue());
        assertThat(decision.message()).isEqualTo(failure.get("message").textValue());
        JsonNode delay = failure.get("next_retry_delay_ms");
        assertThat(decision.nextDelay().map(Duration::toMillis))
                .isEqualTo(delay.isNull() ? Optional.empty() : Optional.of(delay.longValue()));
        assertThat(decision.failure().getType()).isEqualTo(failure.get("type").textValue());
        assertThat(decision.failure().isNonRetryable())
                .isEqualTo(failure.get("non_retryable").booleanValue());
    }

    @ParameterizedTest
    @MethodSource("deadline")
    void noDelayReachesPastTheDeadline(JsonNode vector) {
        Duration delay = PokeSchedule.beforeDeadline(
                Duration.ofMillis(vector.get("delay_ms").longValue()),
                Duration.ofMillis(vector.get("time_left_ms").longValue()));

        assertThat(delay.toMillis()).isEqualTo(vector.get("expect_delay_ms").longValue());
    }

    private static PokeOutcome outcome(JsonNode poke) {
        return switch (poke.get("result").textValue()) {
            case "ready" -> new PokeOutcome.Ready(poke.get("message").textValue(), Map.of());
            case "not_ready" -> new PokeOutcome.NotReady(poke.get("reason").textValue());
            case "error" ->
                new PokeOutcome.Failed(
                        poke.get("error_type").textValue(),
                        poke.get("error_message").textValue());
            case "configuration_error" ->
                new PokeOutcome.Misconfigured(poke.get("message").textValue());
            default -> throw new IllegalArgumentException("unknown poke result in " + poke);
        };
    }

    private static JsonNode plain(Object value) throws JsonProcessingException {
        return PLAIN.readTree(JSON.writeValueAsString(value));
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    private static Stream<Named<JsonNode>> cases(String file) throws IOException {
        JsonNode document = PLAIN.readTree(VECTORS.resolve(file + ".json").toFile());
        List<Named<JsonNode>> found = new ArrayList<>();
        document.get("cases").forEach(c -> found.add(Named.of(c.get("name").textValue(), c)));
        assertThat(found).as("cases in %s.json", file).isNotEmpty();
        return found.stream();
    }
}
