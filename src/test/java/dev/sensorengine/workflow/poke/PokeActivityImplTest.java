package dev.sensorengine.workflow.poke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.Sensor;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.FailureTypes;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.PokeActivity;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One attempt of the poke activity in Temporal's activity test environment: what it heartbeats (only a changed error
 * streak), the failure it ends with, and that no delay reaches past the deadline.
 */
class PokeActivityImplTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private final TestActivityEnvironment env = TestActivityEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
            .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
                    .setDataConverter(Json.dataConverter())
                    .build())
            .build());
    private final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();
    private volatile Poke next = () -> PokeResult.notReady("s3://b/k does not exist");

    /** What the sensor does on its next poke. */
    private interface Poke {
        PokeResult run() throws Exception;
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void aNotReadyPokeWithNoStreakToEndRecordsNothing() {
        ApplicationFailure failure = failure(spec(Duration.ofDays(7)));

        assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_READY);
        assertThat(failure.getOriginalMessage()).isEqualTo("s3://b/k does not exist");
        assertThat(heartbeats).isEmpty();
    }

    @Test
    void theLegacyDetailZeroOfOlderWorkersIsNoStreakEither() {
        env.setHeartbeatDetails(0);

        failure(spec(Duration.ofDays(7)));

        assertThat(heartbeats).isEmpty();
    }

    @Test
    void aPokeErrorRecordsTheStreakGrown() throws IOException {
        env.setHeartbeatDetails(new ErrorStreak(2, 3));
        next = () -> {
            throw new IOException("connection reset");
        };

        ApplicationFailure failure = failure(spec(Duration.ofDays(7)));

        assertThat(failure.getType()).isEqualTo(FailureTypes.POKE_ERROR);
        assertThat(failure.getOriginalMessage()).isEqualTo("poke error (3 in a row): IOException: connection reset");
        // Errors in a row double the wait: 30 s, 60 s, then 120 s less at most 10% jitter.
        assertThat(failure.getNextRetryDelay()).isBetween(Duration.ofSeconds(108), Duration.ofSeconds(120));
        assertThat(heartbeats).containsExactly(PLAIN.readTree("{\"errors_in_row\": 3, \"errors_total\": 4}"));
    }

    @Test
    void aLegacyBareCountGoesOnAsAStreak() throws IOException {
        env.setHeartbeatDetails(2);
        next = () -> {
            throw new IOException("connection reset");
        };

        ApplicationFailure failure = failure(spec(Duration.ofDays(7)));

        assertThat(failure.getOriginalMessage()).startsWith("poke error (3 in a row)");
        assertThat(heartbeats).containsExactly(PLAIN.readTree("{\"errors_in_row\": 3, \"errors_total\": 3}"));
    }

    @Test
    void theFirstNotReadyPokeAfterErrorsEndsTheStreak() throws IOException {
        env.setHeartbeatDetails(new ErrorStreak(2, 5));

        failure(spec(Duration.ofDays(7)));

        assertThat(heartbeats).containsExactly(PLAIN.readTree("{\"errors_in_row\": 0, \"errors_total\": 5}"));
    }

    @Test
    void aConfigurationErrorIsNotRetriedAndRecordsNothing() {
        env.setHeartbeatDetails(new ErrorStreak(2, 2));
        next = () -> {
            throw new SensorConfigurationException("input 'path' is missing");
        };

        ApplicationFailure failure = failure(spec(Duration.ofDays(7)));

        assertThat(failure.getType()).isEqualTo(FailureTypes.CONFIGURATION);
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(heartbeats).isEmpty();
    }

    @Test
    void noWaitReachesPastTheDeadline() {
        // Created 6 days 23 hours 59 minutes ago with a week's timeout: a minute left, and the interval is 30 s...
        // but the third error in a row would wait two minutes.
        env.setHeartbeatDetails(new ErrorStreak(2, 2));
        next = () -> {
            throw new IOException("connection reset");
        };

        ApplicationFailure failure = failure(spec(Duration.ofDays(7).minusMinutes(1)));

        assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(59));
    }

    @Test
    void aPokeBeyondTheRateLimitIsDeferredToItsTurnAndRecordsNothing() {
        env.setHeartbeatDetails(new ErrorStreak(1, 1));
        PokeActivity activity = activity(RateLimits.of(Map.of("bucket", 1.0)));

        assertThat(failure(activity, spec(Duration.ofDays(7))).getType()).isEqualTo(FailureTypes.NOT_READY);
        ApplicationFailure failure = failure(activity, spec(Duration.ofDays(7)));

        assertThat(failure.getType()).isEqualTo(FailureTypes.POKE_DEFERRED);
        assertThat(failure.isNonRetryable()).isFalse();
        assertThat(failure.getOriginalMessage())
                .matches("poke deferred \\d+ms by the rate limit of bucket \\(1 pokes/s\\)");
        assertThat(failure.getNextRetryDelay()).isBetween(Duration.ofMillis(1), Duration.ofSeconds(1));
        // The first poke was not ready with a streak of one to end (one heartbeat); the deferred one records nothing.
        assertThat(heartbeats).hasSize(1);
    }

    private ApplicationFailure failure(SensorSpec spec) {
        return failure(activity(RateLimits.none()), spec);
    }

    private ApplicationFailure failure(PokeActivity activity, SensorSpec spec) {
        ActivityFailure failure = catchThrowableOfType(ActivityFailure.class, () -> activity.poke(spec));
        assertThat(failure).as("the attempt fails").isNotNull();
        return (ApplicationFailure) failure.getCause();
    }

    private static JsonNode plain(JsonNode details) {
        try {
            return PLAIN.readTree(PLAIN.writeValueAsString(details));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PokeActivity activity(RateLimits limits) {
        env.setActivityHeartbeatListener(JsonNode.class, details -> heartbeats.add(plain(details)));
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        env.registerActivitiesImplementations(new PokeActivityImpl(
                new PokeRunner(
                        new SensorRegistry(List.of(new ScriptSensor())),
                        new SensorEnvironment(List.of()),
                        limits,
                        Duration.ZERO,
                        metrics),
                metrics,
                Clock.fixed(NOW, ZoneOffset.UTC)));
        return env.newActivityStub(
                PokeActivity.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(1))
                        .build());
    }

    /** A sensor created {@code ago} before now with a week's timeout and a 30 s interval. */
    private static SensorSpec spec(Duration ago) {
        return new SensorSpec(
                "tests",
                "Script",
                Map.of(),
                Map.of("key", "k"),
                new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10), Duration.ofDays(7)),
                NOW.minus(ago));
    }

    /** Does what {@link #next} says, against the endpoint {@code bucket}. */
    private final class ScriptSensor implements Sensor {
        @Override
        public Set<String> names() {
            return Set.of("Script");
        }

        @Override
        public Optional<String> endpoint(PokeRequest request) {
            return Optional.of("bucket");
        }

        @Override
        public PokeResult poke(PokeRequest request, SensorEnvironment environment) throws Exception {
            return next.run();
        }
    }
}
