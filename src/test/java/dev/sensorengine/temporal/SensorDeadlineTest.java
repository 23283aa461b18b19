package dev.sensorengine.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.sensorengine.temporal.TemporalUnderTest.Server;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.FailureTypes;
import dev.sensorengine.workflow.PokeActivity;
import dev.sensorengine.workflow.PokeSchedule;
import dev.sensorengine.workflow.ScriptedSensor;
import dev.sensorengine.workflow.SensorResult;
import dev.sensorengine.workflow.SensorSpec;
import dev.sensorengine.workflow.SensorWorkflowImpl;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A sensor pokes until its deadline and ends "timed out" at the deadline, give or take one poke, whatever its waits
 * (issue 11, item 4). Before the fix, the first three sensors here ended as "cannot run" when their next wait passed
 * the poke activity's schedule-to-close (the time left plus a minute): at once, at about 38 s, at about 38 s. The
 * fourth has the server give up retrying before the deadline for its own reasons (a failure without a delay, a run
 * timeout close to the deadline), and is poked again for the time left.
 *
 * <p>Every sensor starts at once, on both servers, before the tests, which then wait for their own: the whole class
 * takes about as long as its longest sensor, 45 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SensorDeadlineTest {

    /** The timer runs from the end of the first workflow task, a little after the spec's creation. */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(3);

    private final Map<Server, Sensors> started = new EnumMap<>(Server.class);

    /** One server's sensors. */
    private record Sensors(
            TemporalUnderTest temporal,
            TemporalUnderTest givingUp,
            ScriptedSensor slow,
            ScriptedSensor backingOff,
            ScriptedSensor failing,
            UndelayedFailures undelayed,
            Map<String, Started> byName) {}

    /** A started sensor and its spec. */
    private record Started(WorkflowStub stub, SensorSpec spec) {}

    @BeforeAll
    void startEverySensor() throws IOException {
        for (Server server : Server.values()) {
            TemporalUnderTest temporal = TemporalUnderTest.on(server);
            TemporalUnderTest givingUp = TemporalUnderTest.on(server);
            ScriptedSensor slow =
                    new ScriptedSensor(System::currentTimeMillis, "Slow").then(1, ScriptedSensor.notReady());
            ScriptedSensor backingOff =
                    new ScriptedSensor(System::currentTimeMillis, "BackingOff").then(1, ScriptedSensor.notReady());
            ScriptedSensor failing = new ScriptedSensor(System::currentTimeMillis, "Failing")
                    .then(1, ScriptedSensor.fails(() -> new IOException("503 Service Unavailable")));
            SensorsOnServer sensors = new SensorsOnServer(temporal, slow, backingOff, failing);
            UndelayedFailures undelayed = new UndelayedFailures();
            Worker worker = givingUp.worker();
            worker.registerWorkflowImplementationTypes(SensorWorkflowImpl.class);
            worker.registerActivitiesImplementations(undelayed);
            givingUp.start();
            SensorsOnServer onGivingUp = SensorsOnServer.startingOnly(givingUp);

            // Five minutes between pokes, fifteen seconds to live.
            SensorSpec slowSpec = SensorsOnServer.spec(
                    "Slow",
                    SensorsOnServer.policy(
                            Duration.ofMinutes(5), Backoff.FIXED, Duration.ofMinutes(10), Duration.ofSeconds(15)));
            // Exponential from 40 s: the second wait (80 s) reaches past the deadline at 45 s by more than a minute.
            SensorSpec backingOffSpec = SensorsOnServer.spec(
                    "BackingOff",
                    SensorsOnServer.policy(
                            Duration.ofSeconds(40), Backoff.EXPONENTIAL, Duration.ofHours(1), Duration.ofSeconds(45)));
            // Errors double from 40 s, alike.
            SensorSpec failingSpec = SensorsOnServer.spec(
                    "Failing",
                    SensorsOnServer.policy(
                            Duration.ofSeconds(40), Backoff.FIXED, Duration.ofHours(1), Duration.ofSeconds(45)));
            // Pokes that fail without a delay of their own (as a timed-out poke or a dead worker does): the server
            // retries them every interval (6 s), and a run timeout 2 s past the deadline (15 s) cuts the
            // schedule-to-close, so at the poke at 12 s the next (18 s) does not fit and the server gives up, three
            // seconds before the deadline.
            SensorSpec givingUpSpec = SensorsOnServer.spec(
                    "Undelayed",
                    SensorsOnServer.policy(
                            Duration.ofSeconds(6), Backoff.FIXED, Duration.ofHours(1), Duration.ofSeconds(15)));
            started.put(
                    server,
                    new Sensors(
                            temporal,
                            givingUp,
                            slow,
                            backingOff,
                            failing,
                            undelayed,
                            Map.of(
                                    "Slow",
                                    new Started(sensors.start("slow", slowSpec), slowSpec),
                                    "BackingOff",
                                    new Started(sensors.start("backing-off", backingOffSpec), backingOffSpec),
                                    "Failing",
                                    new Started(sensors.start("failing", failingSpec), failingSpec),
                                    "Undelayed",
                                    new Started(
                                            onGivingUp.start("giving-up", givingUpSpec, Duration.ofSeconds(15 + 2)),
                                            givingUpSpec))));
        }
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        for (Sensors sensors : started.values()) {
            sensors.temporal().close();
            sensors.givingUp().close();
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void anIntervalLongerThanTheTimeLeftPokesOnceMoreJustBeforeTheDeadline(Server server) {
        Sensors sensors = started.get(server);
        Started slow = sensors.byName().get("Slow");

        assertTimedOutAtTheDeadline(sensors.temporal(), slow);
        assertThat(sensors.slow().pokedAt).hasSize(2);
        assertLastPokeJustBeforeTheDeadline(sensors.slow().pokedAt, slow.spec());
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void exponentialBackoffPokesUntilTheDeadline(Server server) {
        Sensors sensors = started.get(server);
        Started backingOff = sensors.byName().get("BackingOff");

        assertTimedOutAtTheDeadline(sensors.temporal(), backingOff);
        // At 0, after 36-40 s, and a second before the deadline (not 72-80 s later).
        assertThat(sensors.backingOff().pokedAt).hasSize(3);
        assertLastPokeJustBeforeTheDeadline(sensors.backingOff().pokedAt, backingOff.spec());
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void anErrorStreakPokesUntilTheDeadline(Server server) {
        Sensors sensors = started.get(server);
        Started failing = sensors.byName().get("Failing");

        assertTimedOutAtTheDeadline(sensors.temporal(), failing);
        assertThat(sensors.failing().pokedAt).hasSize(3);
        assertLastPokeJustBeforeTheDeadline(sensors.failing().pokedAt, failing.spec());
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aServerThatGivesUpRetryingBeforeTheDeadlineIsAskedAgainForTheTimeLeft(Server server) {
        Sensors sensors = started.get(server);
        Started undelayed = sensors.byName().get("Undelayed");

        assertTimedOutAtTheDeadline(sensors.givingUp(), undelayed);
        List<HistoryEvent> history = sensors.givingUp().history(undelayed.stub().getExecution());
        // The server gave up on the first poke activity (retry state TIMEOUT) before the deadline; the workflow
        // recorded the version marker of that change and scheduled a second one.
        assertThat(history)
                .filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED)
                .singleElement()
                .satisfies(
                        e -> assertThat(e.getActivityTaskFailedEventAttributes().getRetryState())
                                .isEqualTo(RetryState.RETRY_STATE_TIMEOUT));
        assertThat(history)
                .filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
                .hasSize(1);
        assertThat(history)
                .filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .hasSize(2);
        Instant gaveUp = instant(history.stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED)
                .findFirst()
                .orElseThrow()
                .getEventTime());
        assertThat(gaveUp).isBefore(undelayed.spec().deadline());
        // Pokes went on after the server gave up.
        assertThat(sensors.undelayed().attempts).anySatisfy(at -> assertThat(at).isAfter(gaveUp));
    }

    private static void assertTimedOutAtTheDeadline(TemporalUnderTest temporal, Started sensor) {
        var execution = sensor.stub().getExecution();
        var info = await().atMost(Duration.ofSeconds(90))
                .until(
                        () -> temporal.describe(execution).getWorkflowExecutionInfo(),
                        i -> i.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

        assertThat(info.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
        Failure failure = temporal.closeEvents(execution)
                .get(0)
                .getWorkflowExecutionFailedEventAttributes()
                .getFailure();
        // "timed out", never "cannot run".
        assertThat(failure.getApplicationFailureInfo().getType()).isEqualTo(FailureTypes.TIMEOUT);
        assertThat(failure.getMessage()).startsWith("timed out: the condition did not hold within");
        assertThat(instant(info.getCloseTime()))
                .isBetween(sensor.spec().deadline(), sensor.spec().deadline().plus(CLOSE_SLACK));
    }

    /**
     * The last poke is scheduled a second before the deadline; on a loaded machine its dispatch may take it a little
     * past the deadline, before the workflow task that ends the sensor. Without the clamp it would come tens of
     * seconds earlier.
     */
    private static void assertLastPokeJustBeforeTheDeadline(List<Instant> pokes, SensorSpec spec) {
        Instant last = pokes.get(pokes.size() - 1);
        assertThat(last)
                .isBetween(
                        spec.deadline().minus(PokeSchedule.DEADLINE_LEAD).minusSeconds(1),
                        spec.deadline().plusSeconds(2));
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    /** A poke activity whose every attempt fails without a delay of its own, so the server picks each wait. */
    private static final class UndelayedFailures implements PokeActivity {
        final List<Instant> attempts = new CopyOnWriteArrayList<>();

        @Override
        public SensorResult poke(SensorSpec spec) {
            attempts.add(Instant.now());
            throw ApplicationFailure.newFailure("the worker lost this poke", "LostPoke");
        }
    }
}
