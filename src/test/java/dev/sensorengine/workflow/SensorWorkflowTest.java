package dev.sensorengine.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.workflow.poke.PokeActivityImpl;
import dev.sensorengine.workflow.poke.PokeRunner;
import dev.sensorengine.workflow.poke.RateLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sensor workflow on Temporal's time-skipping test server: days of polling run in milliseconds. */
class SensorWorkflowTest {

    private static final String QUEUE = "sensors";
    /** Stands in for the Python worker's queue. */
    private static final String PYTHON_QUEUE = "sensors-python";

    /** What the stand-in Python worker was asked to poke. */
    private final List<SensorSpec> pythonPokes = new CopyOnWriteArrayList<>();

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
        worker.registerActivitiesImplementations(new PokeActivityImpl(
                new PokeRunner(
                        new SensorRegistry(List.of(sensor)),
                        new SensorEnvironment(List.of()),
                        RateLimits.none(),
                        Duration.ZERO,
                        new SimpleMeterRegistry()),
                new SimpleMeterRegistry(),
                new ServerClock(() -> env.currentTimeMillis())));
        env.newWorker(PYTHON_QUEUE).registerActivitiesImplementations(new StandInPythonPoke());
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void pokesAtTheIntervalUntilReady() {
        sensor.then(3, ScriptedSensor.notReady()).then(1, ScriptedSensor.ready());

        SensorResult result =
                run(spec("Scripted", policy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10))));

        assertThat(result.message()).isEqualTo("target found");
        assertThat(result.details()).containsEntry("key", "value");
        assertThat(result.pokes()).isEqualTo(4);
        assertThat(sensor.gapsSeconds())
                .hasSize(3)
                .allSatisfy(gap -> assertThat(gap).isCloseTo(30, within(3.5)));
    }

    @Test
    void exponentialBackoffDoublesUpToTheMaximum() {
        sensor.then(6, ScriptedSensor.notReady()).then(1, ScriptedSensor.ready());

        run(spec("Scripted", policy(Duration.ofSeconds(10), Backoff.EXPONENTIAL, Duration.ofSeconds(60))));

        List<Double> gaps = sensor.gapsSeconds();
        assertThat(gaps).hasSize(6);
        double[] expected = {10, 20, 40, 60, 60, 60};
        for (int i = 0; i < expected.length; i++) {
            // Jitter is at most 10% and never pushes a wait past the maximum.
            assertThat(gaps.get(i)).as("gap %d", i).isBetween(expected[i] * 0.89, Math.min(expected[i] * 1.11, 61.5));
        }
    }

    @Test
    void pokeErrorsAreRetriedWithTheirOwnBackoff() {
        sensor.then(3, ScriptedSensor.fails(() -> new IOException("connection refused")))
                .then(1, ScriptedSensor.notReady())
                .then(1, ScriptedSensor.fails(() -> new IOException("connection reset")))
                .then(1, ScriptedSensor.ready());

        SensorResult result =
                run(spec("Scripted", policy(Duration.ofSeconds(10), Backoff.FIXED, Duration.ofMinutes(10))));

        assertThat(result.pokes()).isEqualTo(6);
        List<Double> gaps = sensor.gapsSeconds();
        // Errors in a row double the wait (10, 20, 40); a not-ready poke ends the streak, so the next error waits 10
        // again.
        assertThat(gaps.get(0)).isCloseTo(10, within(1.5));
        assertThat(gaps.get(1)).isCloseTo(20, within(2.5));
        assertThat(gaps.get(2)).isCloseTo(40, within(4.5));
        assertThat(gaps.get(3)).isCloseTo(10, within(1.5));
        assertThat(gaps.get(4)).isCloseTo(10, within(1.5));
    }

    @Test
    void exponentialBackoffCountsNotReadyPokesOnly() {
        sensor.then(3, ScriptedSensor.fails(() -> new IOException("connection refused")))
                .then(3, ScriptedSensor.notReady())
                .then(1, ScriptedSensor.ready());

        run(spec("Scripted", policy(Duration.ofSeconds(10), Backoff.EXPONENTIAL, Duration.ofMinutes(10))));

        List<Double> gaps = sensor.gapsSeconds();
        // Three errors back off on their own streak (10, 20, 40); the not-ready pokes after them start their own
        // doubling at the interval (10, 20, 40), not where the errors left off (80).
        double[] expected = {10, 20, 40, 10, 20, 40};
        assertThat(gaps).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(gaps.get(i)).as("gap %d", i).isBetween(expected[i] * 0.89, expected[i] * 1.11);
        }
    }

    @Test
    void anIntervalLongerThanTheTimeLeftPokesOnceMoreJustBeforeTheDeadline() {
        sensor.then(1, ScriptedSensor.notReady());
        // Ten minutes between pokes, fifteen minutes to live: the second poke would come after the deadline.
        SensorSpec spec = spec(
                "Scripted",
                new PokePolicy(Duration.ofMinutes(10), Backoff.FIXED, Duration.ofMinutes(10), Duration.ofMinutes(15)));

        WorkflowStub stub = start("interval-past-deadline", spec);

        assertThatThrownBy(() -> stub.getResult(SensorResult.class))
                .isInstanceOf(WorkflowFailedException.class)
                .cause()
                .isInstanceOfSatisfying(
                        ApplicationFailure.class, e -> assertThat(e.getType()).isEqualTo(FailureTypes.TIMEOUT));
        // The deadline timer runs from the first workflow task's end, up to a second or so after its start in a cold
        // test JVM.
        assertThat(closeTime(stub)).isBetween(spec.deadline(), spec.deadline().plusSeconds(3));
        assertThat(sensor.pokedAt).hasSize(3);
        assertThat(sensor.pokedAt.get(2))
                .isBetween(spec.deadline().minus(PokeSchedule.DEADLINE_LEAD).minusMillis(500), spec.deadline());
    }

    @Test
    void anErrorStreakPokesUntilTheDeadline() {
        sensor.then(1, ScriptedSensor.fails(() -> new IOException("503 Service Unavailable")));
        // Errors double from 1 minute: 1, 2, 4, 8, 16, then 32 minutes, which would pass the deadline at 40.
        SensorSpec spec = spec(
                "Scripted",
                new PokePolicy(Duration.ofMinutes(1), Backoff.FIXED, Duration.ofHours(1), Duration.ofMinutes(40)));

        WorkflowStub stub = start("errors-past-deadline", spec);
        assertThatThrownBy(() -> stub.getResult(SensorResult.class))
                .isInstanceOf(WorkflowFailedException.class)
                .cause()
                .isInstanceOfSatisfying(
                        ApplicationFailure.class, e -> assertThat(e.getType()).isEqualTo(FailureTypes.TIMEOUT));
        assertThat(closeTime(stub)).isBetween(spec.deadline(), spec.deadline().plusSeconds(1));
        Instant last = sensor.pokedAt.get(sensor.pokedAt.size() - 1);
        assertThat(last)
                .isBetween(spec.deadline().minus(PokeSchedule.DEADLINE_LEAD).minusMillis(500), spec.deadline());
    }

    @Test
    void aConfigurationErrorFailsTheSensorAtOnce() {
        sensor.then(1, ScriptedSensor.fails(() -> new SensorConfigurationException("input 'path' is missing")));

        assertThatThrownBy(() -> run(spec("Scripted", defaultPolicy())))
                .isInstanceOf(WorkflowFailedException.class)
                .cause()
                .isInstanceOf(ApplicationFailure.class)
                .hasMessageContaining("input 'path' is missing");
        assertThat(sensor.pokedAt).hasSize(1);
    }

    @Test
    void anUnknownSensorFailsNamingTheKnownOnes() {
        assertThatThrownBy(() -> run(spec("NoSuchSensor", defaultPolicy())))
                .isInstanceOf(WorkflowFailedException.class)
                .cause()
                .hasMessageContaining("unknown sensor 'tests.NoSuchSensor'")
                .hasMessageContaining("Scripted");
    }

    @Test
    void aSensorOnlyPythonKnowsIsPokedOnThePythonQueueWithItsLiterals() {
        SensorSpec spec = pythonSpec(PYTHON_QUEUE, Duration.ofDays(7));

        SensorResult result = run(spec);

        assertThat(result.message()).isEqualTo("poked on " + PYTHON_QUEUE);
        assertThat(pythonPokes).containsExactly(spec);
        assertThat(pythonPokes.get(0).flyteInputs()).containsExactly(1, 2, 3);
        assertThat(sensor.pokedAt).isEmpty();
    }

    @Test
    void theTimeoutCountsFromCreationNotFromStart() {
        sensor.then(1, ScriptedSensor.notReady());
        Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
        // Created 50 minutes ago with a one-hour timeout: ten minutes are left.
        SensorSpec spec = new SensorSpec(
                "tests",
                "Scripted",
                Map.of(),
                Map.of(),
                new PokePolicy(Duration.ofMinutes(1), Backoff.FIXED, Duration.ofMinutes(1), Duration.ofHours(1)),
                now.minus(Duration.ofMinutes(50)));

        WorkflowStub stub = start("times-out", spec);

        assertThatThrownBy(() -> stub.getResult(SensorResult.class))
                .isInstanceOf(WorkflowFailedException.class)
                .cause()
                .isInstanceOf(ApplicationFailure.class)
                .satisfies(e -> assertThat(((ApplicationFailure) e).getType()).isEqualTo(FailureTypes.TIMEOUT))
                .hasMessageContaining("timed out");
        var closed = describe(stub).getCloseTime();
        Instant closedAt = Instant.ofEpochSecond(closed.getSeconds(), closed.getNanos());
        assertThat(closedAt).isBetween(spec.deadline(), spec.deadline().plusSeconds(1));
        assertThat(sensor.pokedAt).hasSizeBetween(9, 12);
    }

    @Test
    void aSensorPastItsDeadlineTimesOutWithoutPoking() {
        SensorSpec spec = new SensorSpec(
                "tests",
                "Scripted",
                Map.of(),
                Map.of(),
                defaultPolicy(),
                Instant.ofEpochMilli(env.currentTimeMillis()).minus(Duration.ofDays(30)));

        assertThatThrownBy(() -> run(spec))
                .isInstanceOf(WorkflowFailedException.class)
                .cause()
                .hasMessageContaining("timed out");
        assertThat(sensor.pokedAt).isEmpty();
    }

    @Test
    void cancellationEndsTheSensorAsCancelled() {
        sensor.then(1, ScriptedSensor.notReady());
        WorkflowStub stub = start("cancel-me", spec("Scripted", defaultPolicy()));
        await().until(() -> !sensor.pokedAt.isEmpty());

        stub.cancel();

        assertThatThrownBy(() -> stub.getResult(SensorResult.class))
                .isInstanceOf(WorkflowFailedException.class)
                .cause()
                .isInstanceOf(CanceledFailure.class);
        assertThat(describe(stub).getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    }

    @Test
    void theStateQueryTellsOperatorsWhereTheSensorStands() {
        sensor.then(1, ScriptedSensor.notReady());
        SensorSpec spec = spec("Scripted", defaultPolicy());
        WorkflowStub stub = start("query-me", spec);
        await().until(() -> !sensor.pokedAt.isEmpty());

        SensorState state =
                client.newWorkflowStub(SensorWorkflow.class, "query-me").state();

        assertThat(state.status()).isEqualTo(SensorState.Status.POKING);
        assertThat(state.sensor()).isEqualTo("tests.Scripted");
        assertThat(state.deadline()).isEqualTo(spec.deadline());
        stub.cancel();
    }

    @Test
    void theStateQueryReportsSuccess() {
        sensor.then(1, ScriptedSensor.ready());
        WorkflowStub stub = start("query-done", spec("Scripted", defaultPolicy()));
        stub.getResult(SensorResult.class);

        SensorState state =
                client.newWorkflowStub(SensorWorkflow.class, "query-done").state();

        assertThat(state.status()).isEqualTo(SensorState.Status.SUCCEEDED);
        assertThat(state.message()).isEqualTo("target found");
    }

    @Test
    void aTimerSensorSleepsToItsMomentWithoutPoking() {
        Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
        Instant wakeAt = now.plus(Duration.ofDays(3)).plusSeconds(17);
        WorkflowStub stub = start("timer", timer(now, wakeAt, Duration.ofDays(7)));

        SensorResult result = stub.getResult(SensorResult.class);

        assertThat(result.pokes()).isZero();
        assertThat(result.message()).isEqualTo("reached " + wakeAt);
        assertThat(result.readyAt()).isBetween(wakeAt, wakeAt.plusSeconds(1));
        assertThat(sensor.pokedAt).isEmpty();
    }

    @Test
    void aTimerBeyondTheDeadlineTimesOutAtTheDeadline() {
        Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
        SensorSpec spec = timer(now, now.plus(Duration.ofDays(30)), Duration.ofDays(1));
        WorkflowStub stub = start("timer-late", spec);

        assertThatThrownBy(() -> stub.getResult(SensorResult.class))
                .isInstanceOf(WorkflowFailedException.class)
                .cause()
                .hasMessageContaining("timed out");
        var closed = describe(stub).getCloseTime();
        assertThat(Instant.ofEpochSecond(closed.getSeconds(), closed.getNanos()))
                .isBetween(spec.deadline(), spec.deadline().plusSeconds(1));
    }

    @Test
    void aTimerSensorCanBeCancelled() {
        Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
        WorkflowStub stub = start("timer-cancel", timer(now, now.plus(Duration.ofDays(3)), Duration.ofDays(7)));
        await().until(() ->
                client.newWorkflowStub(SensorWorkflow.class, "timer-cancel").state() != null);

        stub.cancel();

        assertThatThrownBy(() -> stub.getResult(SensorResult.class))
                .isInstanceOf(WorkflowFailedException.class)
                .cause()
                .isInstanceOf(CanceledFailure.class);
    }

    private static SensorSpec timer(Instant createdAt, Instant wakeAt, Duration timeout) {
        return new SensorSpec(
                "tests",
                "Scripted",
                Map.of(),
                Map.of(),
                new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10), timeout),
                createdAt,
                wakeAt);
    }

    private Instant closeTime(WorkflowStub stub) {
        var closed = describe(stub).getCloseTime();
        return Instant.ofEpochSecond(closed.getSeconds(), closed.getNanos());
    }

    private WorkflowExecutionInfo describe(WorkflowStub stub) {
        return client.getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(env.getNamespace())
                        .setExecution(stub.getExecution())
                        .build())
                .getWorkflowExecutionInfo();
    }

    private SensorResult run(SensorSpec spec) {
        return start("sensor-" + System.nanoTime(), spec).getResult(SensorResult.class);
    }

    private WorkflowStub start(String id, SensorSpec spec) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                SensorWorkflow.TYPE,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(QUEUE)
                        .setWorkflowId(id)
                        .build());
        stub.start(spec);
        return stub;
    }

    private SensorSpec spec(String name, PokePolicy policy) {
        return new SensorSpec(
                "tests", name, Map.of(), Map.of("path", "/x"), policy, Instant.ofEpochMilli(env.currentTimeMillis()));
    }

    private SensorSpec pythonSpec(String queue, Duration timeout) {
        return new SensorSpec(
                "my_team.sensors",
                "WaitForRows",
                Map.of("threshold", 3L),
                Map.of("table", "t"),
                new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10), timeout),
                Instant.ofEpochMilli(env.currentTimeMillis()),
                null,
                queue,
                new byte[] {1, 2, 3},
                new byte[] {4, 5});
    }

    /** The poke activity as a Python worker serves it, on its own queue: ready at once, keeping what it was sent. */
    private final class StandInPythonPoke implements PokeActivity {
        @Override
        public SensorResult poke(SensorSpec spec) {
            pythonPokes.add(spec);
            return new SensorResult(
                    "poked on " + PYTHON_QUEUE, Map.of(), Instant.ofEpochMilli(env.currentTimeMillis()), 1);
        }
    }

    private static PokePolicy policy(Duration interval, Backoff backoff, Duration max) {
        return new PokePolicy(interval, backoff, max, Duration.ofDays(7));
    }

    private static PokePolicy defaultPolicy() {
        return policy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10));
    }
}
