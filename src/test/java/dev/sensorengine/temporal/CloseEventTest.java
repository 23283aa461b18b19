package dev.sensorengine.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.temporal.TemporalUnderTest.Server;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.FailureTypes;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.ScriptedSensor;
import dev.sensorengine.workflow.SensorResult;
import dev.sensorengine.workflow.SensorSpec;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The close event, which engine.TemporalReader reads (GetWorkflowExecutionHistory with the close-event filter) once a
 * sensor has ended: exactly one event, of the type of the end, carrying the result (completed), the failure's message
 * and type (failed: timed out or cannot run), the termination's reason, or nothing more (cancelled, timed out by the
 * execution timeout); its time is describe's close time.
 */
class CloseEventTest {

    @ParameterizedTest
    @EnumSource(Server.class)
    void eachEndIsOneCloseEventCarryingWhatGetTaskShows(Server server) throws Exception {
        ScriptedSensor ready = new ScriptedSensor(System::currentTimeMillis, "Ready")
                .then(1, ScriptedSensor.notReady())
                .then(1, ScriptedSensor.ready());
        ScriptedSensor waiting =
                new ScriptedSensor(System::currentTimeMillis, "Waiting").then(1, ScriptedSensor.notReady());
        ScriptedSensor broken = new ScriptedSensor(System::currentTimeMillis, "Broken")
                .then(1, ScriptedSensor.fails(() -> new SensorConfigurationException("input 'path' is missing")));

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            SensorsOnServer sensors = new SensorsOnServer(temporal, ready, waiting, broken);
            WorkflowStub completed = sensors.start("completed", spec("Ready", Duration.ofHours(1)));
            WorkflowStub timedOut = sensors.start("timed-out", spec("Waiting", Duration.ofSeconds(3)));
            WorkflowStub failed = sensors.start("cannot-run", spec("Broken", Duration.ofHours(1)));
            WorkflowStub cancelled = sensors.start("cancelled", spec("Waiting", Duration.ofHours(1)));
            WorkflowStub terminated = sensors.start("terminated", spec("Waiting", Duration.ofHours(1)));
            // A sensor whose workflow outlives its execution timeout (no worker on its queue): Temporal ends it.
            WorkflowStub expired = temporal.client()
                    .newUntypedWorkflowStub(
                            "FlyteSensor",
                            WorkflowOptions.newBuilder()
                                    .setTaskQueue("nobody-" + temporal.queue())
                                    .setWorkflowId("expired-" + temporal.queue())
                                    .setWorkflowExecutionTimeout(Duration.ofSeconds(1))
                                    .build());
            expired.start(spec("Waiting", Duration.ofHours(1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> !waiting.pokedAt.isEmpty());
            cancelled.cancel();
            terminated.terminate("deleted by an operator");

            HistoryEvent done = closeEvent(temporal, completed);
            assertThat(done.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
            SensorResult result = Json.dataConverter()
                    .fromPayloads(
                            0,
                            Optional.of(done.getWorkflowExecutionCompletedEventAttributes()
                                    .getResult()),
                            SensorResult.class,
                            SensorResult.class);
            assertThat(result.message()).isEqualTo("target found");
            assertThat(result.pokes()).isEqualTo(2);

            HistoryEvent late = closeEvent(temporal, timedOut);
            assertThat(late.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
            var lateFailure = late.getWorkflowExecutionFailedEventAttributes().getFailure();
            assertThat(lateFailure.getMessage()).startsWith("timed out: the condition did not hold within PT3S");
            assertThat(lateFailure.getApplicationFailureInfo().getType()).isEqualTo(FailureTypes.TIMEOUT);

            HistoryEvent wrong = closeEvent(temporal, failed);
            var wrongFailure = wrong.getWorkflowExecutionFailedEventAttributes().getFailure();
            assertThat(wrongFailure.getMessage()).isEqualTo("tests.Broken cannot run: input 'path' is missing");
            assertThat(wrongFailure.getApplicationFailureInfo().getType()).isEqualTo(FailureTypes.CONFIGURATION);

            assertThat(closeEvent(temporal, cancelled).getEventType())
                    .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
            HistoryEvent stopped = closeEvent(temporal, terminated);
            assertThat(stopped.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
            assertThat(stopped.getWorkflowExecutionTerminatedEventAttributes().getReason())
                    .isEqualTo("deleted by an operator");
            assertThat(closeEvent(temporal, expired).getEventType())
                    .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT);
        }
    }

    /** Waits for the workflow to close, then reads its close event as TemporalReader does. */
    private static HistoryEvent closeEvent(TemporalUnderTest temporal, WorkflowStub stub) {
        var execution = stub.getExecution();
        var info = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> temporal.describe(execution).getWorkflowExecutionInfo(),
                        i -> i.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        List<HistoryEvent> events = temporal.closeEvents(execution);
        assertThat(events).as("close events of %s", execution.getWorkflowId()).hasSize(1);
        HistoryEvent close = events.get(0);
        assertThat(instant(close.getEventTime())).isEqualTo(instant(info.getCloseTime()));
        return close;
    }

    private static SensorSpec spec(String sensor, Duration timeout) {
        return SensorsOnServer.spec(
                sensor, SensorsOnServer.policy(Duration.ofSeconds(1), Backoff.FIXED, Duration.ofSeconds(1), timeout));
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
