package dev.sensorengine.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.temporal.TemporalUnderTest.Server;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.ScriptedSensor;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deleting a sensor (DeleteTask cancels its workflow, as engine.SensorEngine#delete does) ends it promptly as
 * cancelled: between pokes, while the poke activity waits in the server's backoff, and while a poke is under way. The
 * poke activity is cancelled with TRY_CANCEL, so the workflow does not wait for it, and no poke follows.
 */
class CancelDuringBackoffTest {

    /** How soon after the cancel request the sensor must have ended. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @ParameterizedTest
    @EnumSource(Server.class)
    void aSensorDeletedBetweenPokesEndsPromptlyAsCancelled(Server server) throws Exception {
        ScriptedSensor sensor = new ScriptedSensor(System::currentTimeMillis).then(1, ScriptedSensor.notReady());

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            // An hour between pokes: after the first, the activity waits in backoff for about an hour.
            WorkflowStub stub = new SensorsOnServer(temporal, sensor)
                    .start(
                            "cancel-in-backoff",
                            SensorsOnServer.spec(
                                    "Scripted",
                                    SensorsOnServer.policy(
                                            Duration.ofHours(1),
                                            Backoff.FIXED,
                                            Duration.ofHours(1),
                                            Duration.ofDays(1))));
            // The first poke is done, and no other comes: the next attempt waits in the server's backoff.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> temporal.describe(stub.getExecution()).getPendingActivitiesList().stream()
                            .anyMatch(p -> p.getAttempt() == 2));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> sensor.pokedAt.size() == 1);
            PendingActivityInfo waiting = temporal.describe(stub.getExecution()).getPendingActivities(0);
            // describe says so on the real server; the SDK test server still says STARTED (the last attempt's start).
            assertThat(waiting.getState())
                    .isEqualTo(
                            server == Server.REAL
                                    ? PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED
                                    : PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);

            Instant cancelled = Instant.now();
            stub.cancel();

            await().atMost(PROMPTLY)
                    .until(
                            () -> temporal.describe(stub.getExecution())
                                    .getWorkflowExecutionInfo()
                                    .getStatus(),
                            status -> status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
            assertThat(Duration.between(cancelled, Instant.now())).isLessThan(PROMPTLY);
            assertThat(temporal.history(stub.getExecution()))
                    .extracting(HistoryEvent::getEventType)
                    .contains(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED)
                    .last()
                    .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
            assertThat(temporal.describe(stub.getExecution()).getPendingActivitiesList())
                    .isEmpty();
        }
        assertThat(sensor.pokedAt).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aSensorDeletedWhilePokingEndsPromptlyWithoutWaitingForThePoke(Server server) throws Exception {
        CountDownLatch poking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScriptedSensor sensor = new ScriptedSensor(System::currentTimeMillis).then(1, () -> {
            poking.countDown();
            release.await();
            return PokeResult.ready("found", java.util.Map.of());
        });

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            WorkflowStub stub = new SensorsOnServer(temporal, sensor)
                    .start(
                            "cancel-while-poking",
                            SensorsOnServer.spec(
                                    "Scripted",
                                    SensorsOnServer.policy(
                                            Duration.ofSeconds(1),
                                            Backoff.FIXED,
                                            Duration.ofSeconds(1),
                                            Duration.ofDays(1))));
            await().atMost(Duration.ofSeconds(30)).until(() -> poking.getCount() == 0);

            stub.cancel();

            await().atMost(PROMPTLY)
                    .until(
                            () -> temporal.describe(stub.getExecution())
                                    .getWorkflowExecutionInfo()
                                    .getStatus(),
                            status -> status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
            // The poke still hangs; its late answer changes nothing.
            release.countDown();
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(3))
                    .until(
                            () -> temporal.describe(stub.getExecution())
                                    .getWorkflowExecutionInfo()
                                    .getStatus(),
                            status -> status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        }
        assertThat(sensor.pokedAt).hasSize(1);
    }
}
