package dev.sensorengine.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.engine.PendingPokeCounter;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.workflow.poke.PokeActivityImpl;
import dev.sensorengine.workflow.poke.PokeRunner;
import dev.sensorengine.workflow.poke.RateLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code wake} signal on Temporal's time-skipping test server: a wake pokes at once and the sensor then keeps its
 * hourly schedule; wakes answered by a poke are coalesced; a run long with wakes continues as new, carrying its pokes.
 */
class SensorWakeTest {

    private static final String QUEUE = "sensors";
    private static final Duration HOUR = Duration.ofHours(1);

    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private final ScriptedSensor sensor = new ScriptedSensor(() -> env.currentTimeMillis());

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
                        .setDataConverter(Json.dataConverter())
                        .build())
                .build());
        Worker worker = env.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(SensorWorkflowImpl.class);
        worker.registerActivitiesImplementations(
                new PokeActivityImpl(
                        new PokeRunner(
                                new SensorRegistry(List.of(sensor)),
                                new SensorEnvironment(List.of()),
                                RateLimits.none(),
                                Duration.ZERO,
                                new SimpleMeterRegistry()),
                        new SimpleMeterRegistry(),
                        new ServerClock(() -> env.currentTimeMillis())),
                new PendingPokeCounter(env.getWorkflowClient(), Duration.ofSeconds(5)));
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void aWakePokesAtOnceAndTheReadyPokeEndsTheSensor() {
        sensor.then(1, ScriptedSensor.notReady()).then(1, ScriptedSensor.ready());
        WorkflowStub stub = start("woken");
        await().until(() -> sensor.pokedAt.size() == 1);

        stub.signal(SensorWorkflow.WAKE, wake("e1", now()));

        SensorResult result = stub.getResult(SensorResult.class);
        assertThat(result.message()).isEqualTo("target found");
        assertThat(result.pokes()).as("the first poke and the wake poke").isEqualTo(2);
        assertThat(sensor.gapsSeconds())
                .singleElement()
                .satisfies(gap -> assertThat(gap).isLessThan(60));
    }

    @Test
    void aWakeForAnAbsentObjectCostsOnePokeAndTheScheduleCarriesOn() {
        sensor.then(2, ScriptedSensor.notReady()).then(1, ScriptedSensor.ready());
        WorkflowStub stub = start("forged");
        await().until(() -> sensor.pokedAt.size() == 1);

        stub.signal(SensorWorkflow.WAKE, wake("forged", now()));
        await().until(() -> sensor.pokedAt.size() == 2);

        SensorResult result = stub.getResult(SensorResult.class);
        assertThat(result.pokes()).isEqualTo(3);
        List<Double> gaps = sensor.gapsSeconds();
        assertThat(gaps.get(0)).as("the wake poke, at once").isLessThan(60);
        // The long poke kept its own hourly schedule from its own last attempt (less up to 10% jitter).
        assertThat(gaps.get(0) + gaps.get(1)).isBetween(0.89 * 3600, 3601.0);
        assertThat(signalsAndPokes(stub)).containsExactly(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    }

    @Test
    void wakesAnsweredByAPokeAreCoalesced() {
        sensor.then(1, ScriptedSensor.notReady());
        WorkflowStub stub = start("coalesced");
        await().until(() -> sensor.pokedAt.size() == 1);
        Instant before = now().minusSeconds(1);

        for (int i = 0; i < 5; i++) {
            stub.signal(SensorWorkflow.WAKE, wake("burst-" + i, before));
        }
        await().until(() -> sensor.pokedAt.size() == 2);
        // Events received before that wake poke was scheduled: it answered them.
        for (int i = 0; i < 5; i++) {
            stub.signal(SensorWorkflow.WAKE, wake("late-copy-" + i, before));
        }
        // One received after it: poke again.
        Instant after = now();
        stub.signal(SensorWorkflow.WAKE, wake("new", after));
        await().until(() -> sensor.pokedAt.size() == 3);
        stub.signal(SensorWorkflow.WAKE, wake("probe", after.minusMillis(1)));

        await().until(() -> history(stub).stream()
                        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                        .count()
                == 12);
        await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        assertThat(sensor.pokedAt)
                .as("the first poke and two wake pokes for twelve wakes")
                .hasSize(3);
        stub.cancel();
    }

    @Test
    void aRunLongWithWakesContinuesAsNewCarryingItsPokesAndStillEnds() {
        sensor.then(1, ScriptedSensor.notReady());
        WorkflowStub stub = start("many-wakes");
        await().until(() -> sensor.pokedAt.size() == 1);
        String firstRun = stub.getExecution().getRunId();
        Instant old = now().minusSeconds(60);
        int wakes = 1_500;
        for (int i = 0; i < wakes; i++) {
            // Every 100th names an event newer than any poke: a wake poke; the rest are answered by one.
            boolean fresh = i % 100 == 0;
            int pokes = sensor.pokedAt.size();
            stub.signal(SensorWorkflow.WAKE, wake("w" + i, fresh ? now() : old));
            if (fresh) {
                await().until(() -> sensor.pokedAt.size() > pokes);
            }
        }
        // One poke per fresh wake, and the first poke of each run that continued as new (one here, for 1,500 wakes).
        assertThat(sensor.pokedAt.size()).isBetween(1 + wakes / 100, 1 + wakes / 100 + 2);
        WorkflowStub latest = client.newUntypedWorkflowStub(stub.getExecution().getWorkflowId());
        // About four events a wake: past MAX_HISTORY_EVENTS the run continued as new.
        // 1,500 signals take their workflow tasks a while on a busy machine: a minute, not the default ten seconds.
        await().atMost(Duration.ofMinutes(1))
                .until(() -> !latest.describe().getExecution().getRunId().equals(firstRun));
        await().atMost(Duration.ofMinutes(1))
                .until(() ->
                        Long.valueOf(wakes).equals(latest.describe().getMemo(SensorWorkflow.MEMO_WAKES, Long.class)));

        sensor.then(1, ScriptedSensor.ready());
        latest.signal(SensorWorkflow.WAKE, wake("the-object-is-there", now().plusSeconds(2)));
        SensorResult result = latest.getResult(SensorResult.class);

        // Every poke of every run. A poke attempt that joined another in flight (the long poke and a wake poke of a run
        // just continued as new) counts as a poke but calls the sensor once, so the count may pass the calls by one.
        assertThat(result.pokes())
                .as("every poke of every run")
                .isBetween(sensor.pokedAt.size(), sensor.pokedAt.size() + 1);
    }

    private List<EventType> signalsAndPokes(WorkflowStub stub) {
        return history(stub).stream()
                .map(HistoryEvent::getEventType)
                .filter(t -> t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                .toList();
    }

    private List<HistoryEvent> history(WorkflowStub stub) {
        WorkflowExecution execution = stub.getExecution();
        return client.fetchHistory(execution.getWorkflowId(), execution.getRunId())
                .getEvents();
    }

    private WorkflowStub start(String id) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                SensorWorkflow.TYPE,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(QUEUE)
                        .setWorkflowId(id)
                        .build());
        stub.start(new SensorSpec(
                "tests",
                "Scripted",
                Map.of(),
                Map.of("path", "/x"),
                new PokePolicy(HOUR, Backoff.FIXED, HOUR, Duration.ofDays(7)),
                now()));
        return stub;
    }

    private static WakeSignal wake(String id, Instant receivedAt) {
        return new WakeSignal("test", id, "/x", receivedAt);
    }

    private Instant now() {
        return Instant.ofEpochMilli(env.currentTimeMillis());
    }
}
