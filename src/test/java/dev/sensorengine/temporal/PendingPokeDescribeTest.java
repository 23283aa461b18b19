package dev.sensorengine.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.temporal.TemporalUnderTest.Server;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.FailureTypes;
import dev.sensorengine.workflow.ScriptedSensor;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pending poke as DescribeWorkflowExecution shows it: what engine.TemporalReader turns into GetTask's status
 * without a worker. It reads the attempt (pokes made = attempt - 1), the last failure's message (the not-ready reason
 * or poke error), the last attempt's completion time and the next attempt's scheduled time (else last completion plus
 * the failure's next_retry_delay).
 */
class PendingPokeDescribeTest {

    @ParameterizedTest
    @EnumSource(Server.class)
    void aPokeWaitingForItsNextAttemptShowsItsCountLastResultAndNextTime(Server server) throws Exception {
        ScriptedSensor sensor = new ScriptedSensor(System::currentTimeMillis)
                .then(1, () -> PokeResult.notReady("s3://b/k does not exist"));

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            WorkflowStub stub = new SensorsOnServer(temporal, sensor)
                    .start(
                            "describe-waiting",
                            SensorsOnServer.spec(
                                    "Scripted",
                                    SensorsOnServer.policy(
                                            Duration.ofSeconds(4),
                                            Backoff.FIXED,
                                            Duration.ofSeconds(4),
                                            Duration.ofHours(1))));
            // Three pokes made; the fourth is due in about four seconds.
            await().atMost(Duration.ofSeconds(30)).until(() -> sensor.pokedAt.size() == 3);
            PendingActivityInfo poke = await().atMost(Duration.ofSeconds(5))
                    .until(
                            () -> temporal.describe(stub.getExecution()).getPendingActivitiesList().stream()
                                    .findFirst()
                                    .filter(p -> p.getAttempt() == 4
                                            && (server != Server.REAL
                                                    || p.getState()
                                                            == PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED)),
                            Optional::isPresent)
                    .orElseThrow();
            Instant thirdPoke = sensor.pokedAt.get(2);
            stub.cancel();

            assertThat(poke.getActivityType().getName()).isEqualTo("Poke");
            assertThat(poke.getLastFailure().getMessage()).isEqualTo("s3://b/k does not exist");
            var failure = poke.getLastFailure().getApplicationFailureInfo();
            assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_READY);
            Duration delay = Duration.ofMillis(Durations.toMillis(failure.getNextRetryDelay()));
            assertThat(delay).isBetween(Duration.ofMillis(3_600), Duration.ofSeconds(4));
            assertThat(poke.hasLastAttemptCompleteTime()).isTrue();
            Instant completed = instant(poke.getLastAttemptCompleteTime());
            // The attempt completes after its poke began (the clocks are the same machine's).
            assertThat(completed).isBetween(thirdPoke.minusSeconds(1), thirdPoke.plusSeconds(3));
            if (server == Server.REAL) {
                assertThat(poke.getState()).isEqualTo(PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED);
                // The next attempt is the completion plus the poke's own delay, to the millisecond.
                assertThat(poke.hasNextAttemptScheduleTime()).isTrue();
                assertThat(Duration.between(completed, instant(poke.getNextAttemptScheduleTime()))
                                .minus(delay)
                                .abs())
                        .isLessThan(Duration.ofMillis(5));
            } else {
                // The SDK test server leaves the next attempt's time out: TemporalReader falls back to the
                // completion plus the failure's next_retry_delay.
                assertThat(poke.hasNextAttemptScheduleTime()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aPokeUnderWayShowsItsAttemptAndTheLastFailureBeforeIt(Server server) throws Exception {
        CountDownLatch poking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScriptedSensor sensor = new ScriptedSensor(System::currentTimeMillis)
                .then(1, () -> PokeResult.notReady("s3://b/k does not exist"))
                .then(1, () -> {
                    poking.countDown();
                    release.await();
                    return PokeResult.notReady("s3://b/k does not exist");
                });

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            WorkflowStub stub = new SensorsOnServer(temporal, sensor)
                    .start(
                            "describe-poking",
                            SensorsOnServer.spec(
                                    "Scripted",
                                    SensorsOnServer.policy(
                                            Duration.ofSeconds(1),
                                            Backoff.FIXED,
                                            Duration.ofSeconds(1),
                                            Duration.ofHours(1))));
            await().atMost(Duration.ofSeconds(30)).until(() -> poking.getCount() == 0);

            PendingActivityInfo poke = temporal.describe(stub.getExecution()).getPendingActivities(0);
            release.countDown();
            stub.cancel();

            assertThat(poke.getState()).isEqualTo(PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
            assertThat(poke.getAttempt()).isEqualTo(2);
            assertThat(poke.getLastFailure().getMessage()).isEqualTo("s3://b/k does not exist");
            assertThat(poke.hasLastStartedTime()).isTrue();
            if (server == Server.REAL) {
                assertThat(poke.hasNextAttemptScheduleTime()).isFalse();
            }
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
