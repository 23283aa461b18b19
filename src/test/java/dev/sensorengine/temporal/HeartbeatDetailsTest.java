package dev.sensorengine.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorengine.temporal.TemporalUnderTest.Server;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.ScriptedSensor;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Heartbeat details carried across attempts: the poke activity's only memory of the pokes before it. The streak rule
 * (contract/poke-activity.md) heartbeats only when the streak changes, so the details of one attempt must reach every
 * later attempt, through attempts that record none.
 */
class HeartbeatDetailsTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(Server.class)
    void detailsReachEveryLaterAttemptThroughAttemptsThatRecordNone(Server server) throws Exception {
        ScriptedProbe probe = new ScriptedProbe((attempt, context) -> {
            switch (attempt.number()) {
                case 1 -> context.heartbeat(Map.of("n", 1));
                case 4 -> context.heartbeat(Map.of("n", 4));
                case 5 -> {
                    return "done";
                }
                default -> {}
            }
            throw ApplicationFailure.newFailureWithCauseAndDelay(
                    "not yet", "SensorNotReady", null, Duration.ofMillis(100));
        });

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            Probes.run(
                    temporal,
                    probe,
                    Probes.retries(Duration.ofMillis(100), Duration.ofSeconds(1)),
                    Duration.ofMinutes(1));
        }

        assertThat(probe.attempts)
                .extracting(attempt -> attempt.details().map(HeartbeatDetailsTest::plain))
                .containsExactly(
                        Optional.empty(),
                        Optional.of(json("{\"n\": 1}")),
                        Optional.of(json("{\"n\": 1}")),
                        Optional.of(json("{\"n\": 1}")),
                        Optional.of(json("{\"n\": 4}")));
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void thePokeActivitysErrorStreakOutlivesThePokesThatRecordNothing(Server server) throws Exception {
        // Two errors, three not-ready pokes (the first of them ends the streak, the other two record nothing), an
        // error.
        ScriptedSensor sensor = new ScriptedSensor(System::currentTimeMillis)
                .then(2, ScriptedSensor.fails(() -> new IOException("connection reset")))
                .then(3, ScriptedSensor.notReady())
                .then(1, ScriptedSensor.fails(() -> new IOException("connection reset")))
                .then(1, ScriptedSensor.notReady());

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            SensorsOnServer sensors = new SensorsOnServer(temporal, sensor);
            WorkflowStub stub = sensors.start(
                    "streak",
                    SensorsOnServer.spec(
                            "Scripted",
                            SensorsOnServer.policy(
                                    Duration.ofSeconds(1),
                                    Backoff.FIXED,
                                    Duration.ofSeconds(1),
                                    Duration.ofMinutes(10))));

            // After the sixth poke (the error), in the second before the seventh: the pending poke as describe shows
            // it.
            PendingActivityInfo pending = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> temporal.describe(stub.getExecution()).getPendingActivitiesList().stream()
                                    .findFirst()
                                    .filter(p -> p.getAttempt() == 7
                                            && p.getLastFailure().getMessage().startsWith("poke error")),
                            Optional::isPresent)
                    .orElseThrow();

            // One in a row (the not-ready pokes ended the first streak) and three in total (carried through them).
            assertThat(pending.getLastFailure().getMessage())
                    .isEqualTo("poke error (1 in a row): IOException: connection reset");
            assertThat(plain(Json.dataConverter()
                            .fromPayloads(
                                    0, Optional.of(pending.getHeartbeatDetails()), JsonNode.class, JsonNode.class)))
                    .isEqualTo(json("{\"errors_in_row\": 1, \"errors_total\": 3}"));
            assertThat(pending.getAttempt()).isEqualTo(7);
            stub.cancel();
        }
        assertThat(sensor.pokedAt).hasSizeGreaterThanOrEqualTo(6);
    }

    private static JsonNode plain(JsonNode node) {
        return json(node.toString());
    }

    private static JsonNode json(String text) {
        try {
            return PLAIN.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
