package dev.sensorengine.workflow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sensorengine.engine.PendingPokeCounter;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.workflow.poke.PokeActivityImpl;
import dev.sensorengine.workflow.poke.PokeRunner;
import dev.sensorengine.workflow.poke.RateLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Records the histories that {@link RecordedHistoriesReplayTest} replays: one sensor of every shape, run on the real
 * Temporal server by whatever {@link SensorWorkflowImpl} is built. Not a test: it runs only when asked, with {@code
 * mvn -o test -Dtest=HistoryRecorder -Dhistories.record=src/test/resources/histories/NAME}, and is run again into a
 * new folder (keeping the old ones) after every change to the workflow, so that each build's histories are replayed
 * by every later build.
 */
class HistoryRecorder {

    @Test
    void recordEveryShape() throws Exception {
        String into = System.getProperty("histories.record");
        assumeTrue(into != null, "set -Dhistories.record=DIR to record histories");
        Path dir = Path.of(into);
        Files.createDirectories(dir);
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(RealTemporal.shared())
                .build());
        WorkflowClient client = WorkflowClient.newInstance(
                service,
                WorkflowClientOptions.newBuilder()
                        .setDataConverter(Json.dataConverter())
                        .build());
        WorkerFactory workers = WorkerFactory.newInstance(client);
        try {
            Recording recording = new Recording(client, workers, dir, "record-" + System.nanoTime());
            recording.shapes();
        } finally {
            workers.shutdownNow();
            service.shutdownNow();
        }
    }

    /** One recording session: a task queue (and a scripted sensor) per shape. */
    private record Recording(WorkflowClient client, WorkerFactory workers, Path dir, String prefix) {

        void shapes() throws IOException {
            Duration second = Duration.ofSeconds(1);
            Sensor waiting = sensor("waiting", s -> s.then(1, ScriptedSensor.notReady()));
            Sensor succeeded = sensor(
                    "succeeded", s -> s.then(2, ScriptedSensor.notReady()).then(1, ScriptedSensor.ready()));
            Sensor errors = sensor(
                    "error-streak-then-ready",
                    s -> s.then(2, ScriptedSensor.fails(() -> new IOException("connection refused")))
                            .then(1, ScriptedSensor.notReady())
                            .then(1, ScriptedSensor.ready()));
            Sensor timedOut = sensor("timed-out", s -> s.then(1, ScriptedSensor.notReady()));
            Sensor cancelled = sensor("cancelled", s -> s.then(1, ScriptedSensor.notReady()));
            Sensor misconfigured = sensor(
                    "configuration-error",
                    s -> s.then(
                            1,
                            ScriptedSensor.fails(() -> new SensorConfigurationException("input 'path' is missing"))));
            Sensor unknown = sensor("unknown-sensor", s -> {});
            Sensor pastDeadline = sensor("past-deadline", s -> {});
            Sensor timer = sensor("timer-succeeded", s -> {});
            Sensor timerCancelled = sensor("timer-cancelled", s -> {});
            Sensor timerLate = sensor("timer-late", s -> {});
            // A not-ready wait longer than the time left plus the activity's slack: the real server gives up
            // retrying at once (retry state TIMEOUT), before the sensor's deadline.
            Sensor retryTimeout = sensor("interval-past-deadline", s -> s.then(1, ScriptedSensor.notReady()));
            // Pokes that fail without a delay of their own, every 6 s, in a run whose timeout is 2 s past the deadline:
            // the server gives up retrying before the deadline (retry state TIMEOUT).
            String givingUp = prefix + "-server-gave-up-before-deadline";
            Worker undelayed = workers.newWorker(givingUp);
            undelayed.registerWorkflowImplementationTypes(SensorWorkflowImpl.class);
            undelayed.registerActivitiesImplementations((PokeActivity) spec -> {
                throw ApplicationFailure.newFailure("the worker lost this poke", "LostPoke");
            });
            Sensor woken = sensor(
                    "woken",
                    s -> s.then(2, ScriptedSensor.notReady())
                            .then(1, ScriptedSensor.notReady())
                            .then(1, ScriptedSensor.ready()));
            Sensor wokenWaiting = sensor("woken-waiting", s -> s.then(1, ScriptedSensor.notReady()));
            workers.start();

            Instant now = Instant.now();
            WorkflowStub w = waiting.start(spec("Scripted", policy(second, Duration.ofHours(1)), now, null));
            WorkflowStub s = succeeded.start(spec("Scripted", policy(second, Duration.ofHours(1)), now, null));
            WorkflowStub e = errors.start(spec("Scripted", policy(second, Duration.ofHours(1)), now, null));
            WorkflowStub t = timedOut.start(spec("Scripted", policy(second, Duration.ofSeconds(12)), now, null));
            WorkflowStub c = cancelled.start(spec("Scripted", policy(second, Duration.ofHours(1)), now, null));
            WorkflowStub m = misconfigured.start(spec("Scripted", policy(second, Duration.ofHours(1)), now, null));
            WorkflowStub u = unknown.start(spec("NoSuchSensor", policy(second, Duration.ofHours(1)), now, null));
            WorkflowStub p = pastDeadline.start(
                    spec("Scripted", policy(second, Duration.ofHours(1)), now.minus(Duration.ofDays(2)), null));
            WorkflowStub ti =
                    timer.start(spec("Scripted", policy(second, Duration.ofHours(1)), now, now.plusSeconds(8)));
            WorkflowStub tc = timerCancelled.start(
                    spec("Scripted", policy(second, Duration.ofHours(1)), now, now.plusSeconds(600)));
            WorkflowStub tl = timerLate.start(
                    spec("Scripted", policy(second, Duration.ofSeconds(12)), now, now.plusSeconds(600)));
            WorkflowStub r = retryTimeout.start(spec(
                    "Scripted",
                    new PokePolicy(
                            Duration.ofMinutes(5), Backoff.FIXED, Duration.ofMinutes(10), Duration.ofSeconds(20)),
                    now,
                    null));

            await().atMost(Duration.ofSeconds(30)).until(() -> waiting.scripted.pokedAt.size() >= 2);
            waiting.save(w, "waiting");
            await().atMost(Duration.ofSeconds(30)).until(() -> !cancelled.scripted.pokedAt.isEmpty());
            c.cancel();
            await().atMost(Duration.ofSeconds(30)).until(() -> timerCancelled.hasTimer());
            tc.cancel();
            for (var entry : Map.of(
                            "succeeded", List.of(succeeded, s),
                            "error-streak-then-ready", List.of(errors, e),
                            "timed-out", List.of(timedOut, t),
                            "cancelled", List.of(cancelled, c),
                            "configuration-error", List.of(misconfigured, m),
                            "unknown-sensor", List.of(unknown, u),
                            "past-deadline", List.of(pastDeadline, p),
                            "timer-succeeded", List.of(timer, ti),
                            "timer-cancelled", List.of(timerCancelled, tc),
                            "timer-late", List.of(timerLate, tl))
                    .entrySet()) {
                Sensor sensor = (Sensor) entry.getValue().get(0);
                WorkflowStub stub = (WorkflowStub) entry.getValue().get(1);
                sensor.saveWhenClosed(stub, entry.getKey());
            }
            retryTimeout.saveWhenClosed(r, "interval-past-deadline");
            woken(now, woken, wokenWaiting);
            Sensor gaveUp = new Sensor(this, null, givingUp);
            SensorSpec gaveUpSpec = spec(
                    "Scripted",
                    new PokePolicy(Duration.ofSeconds(6), Backoff.FIXED, Duration.ofHours(1), Duration.ofSeconds(15)),
                    Instant.now(),
                    null);
            WorkflowStub g = gaveUp.start(gaveUpSpec, Duration.ofSeconds(15 + 2));
            gaveUp.saveWhenClosed(g, "server-gave-up-before-deadline");
            w.cancel();
        }

        /**
         * From v2 on: an hourly sensor woken by an event for an absent object (a wake poke, not ready), then by two
         * at once (one wake poke, the other coalesced), and ended by a wake poke that finds its object; and one left
         * waiting after a not-ready wake.
         */
        void woken(Instant now, Sensor woken, Sensor wokenWaiting) throws IOException {
            PokePolicy hourly =
                    new PokePolicy(Duration.ofHours(1), Backoff.FIXED, Duration.ofHours(1), Duration.ofHours(2));
            WorkflowStub w = woken.start(spec("Scripted", hourly, now, null));
            WorkflowStub ww = wokenWaiting.start(spec("Scripted", hourly, now, null));
            await().atMost(Duration.ofSeconds(30)).until(() -> woken.scripted.pokedAt.size() == 1);
            w.signal(SensorWorkflow.WAKE, new WakeSignal("test", "forged", "/x", Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> woken.scripted.pokedAt.size() == 2);
            Instant received = Instant.now();
            w.signal(SensorWorkflow.WAKE, new WakeSignal("test", "e1", "/x", received));
            w.signal(SensorWorkflow.WAKE, new WakeSignal("test", "e2", "/x", received));
            await().atMost(Duration.ofSeconds(30)).until(() -> woken.scripted.pokedAt.size() == 3);
            w.signal(SensorWorkflow.WAKE, new WakeSignal("test", "e3", "/x", Instant.now()));
            woken.saveWhenClosed(w, "woken");
            await().atMost(Duration.ofSeconds(30)).until(() -> wokenWaiting.scripted.pokedAt.size() == 1);
            ww.signal(SensorWorkflow.WAKE, new WakeSignal("test", "forged", "/x", Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> wokenWaiting.scripted.pokedAt.size() == 2);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.fetchHistory(wokenWaiting.queue).getEvents().stream()
                            .anyMatch(e -> e.hasWorkflowPropertiesModifiedEventAttributes()));
            wokenWaiting.save(ww, "woken-waiting");
            ww.cancel();
        }

        Sensor sensor(String shape, Consumer<ScriptedSensor> script) {
            ScriptedSensor scripted = new ScriptedSensor(System::currentTimeMillis);
            script.accept(scripted);
            String queue = prefix + "-" + shape;
            Worker worker = workers.newWorker(queue);
            worker.registerWorkflowImplementationTypes(SensorWorkflowImpl.class);
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            worker.registerActivitiesImplementations(
                    new PokeActivityImpl(
                            new PokeRunner(
                                    new SensorRegistry(List.of(scripted)),
                                    new SensorEnvironment(List.of()),
                                    RateLimits.none(),
                                    Duration.ZERO,
                                    metrics),
                            metrics,
                            Clock.systemUTC()),
                    new PendingPokeCounter(client, Duration.ofSeconds(5)));
            return new Sensor(this, scripted, queue);
        }
    }

    private record Sensor(Recording recording, ScriptedSensor scripted, String queue) {

        WorkflowStub start(SensorSpec spec) {
            Duration remaining = Duration.between(Instant.now(), spec.deadline());
            // As the engine starts sensors: the time left plus an hour.
            return start(spec, (remaining.isNegative() ? Duration.ZERO : remaining).plus(Duration.ofHours(1)));
        }

        WorkflowStub start(SensorSpec spec, Duration executionTimeout) {
            WorkflowStub stub = recording.client.newUntypedWorkflowStub(
                    SensorWorkflow.TYPE,
                    WorkflowOptions.newBuilder()
                            .setTaskQueue(queue)
                            .setWorkflowId(queue)
                            .setWorkflowExecutionTimeout(executionTimeout)
                            .build());
            stub.start(spec);
            return stub;
        }

        WorkflowExecutionStatus describe(WorkflowStub stub) {
            return recording
                    .client
                    .getWorkflowServiceStubs()
                    .blockingStub()
                    .describeWorkflowExecution(
                            io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                                    .setNamespace("default")
                                    .setExecution(stub.getExecution())
                                    .build())
                    .getWorkflowExecutionInfo()
                    .getStatus();
        }

        boolean hasTimer() {
            return recording.client.fetchHistory(queue).getEvents().stream()
                    .anyMatch(HistoryEvent::hasTimerStartedEventAttributes);
        }

        void saveWhenClosed(WorkflowStub stub, String name) throws IOException {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> describe(stub) != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
            save(stub, name);
        }

        void save(WorkflowStub stub, String name) throws IOException {
            String json = recording.client.fetchHistory(queue).toJson(true);
            Files.writeString(recording.dir.resolve(name + ".json"), json);
        }
    }

    private static SensorSpec spec(String name, PokePolicy policy, Instant createdAt, Instant wakeAt) {
        return new SensorSpec("tests", name, Map.of(), Map.of("path", "/x"), policy, createdAt, wakeAt);
    }

    private static PokePolicy policy(Duration interval, Duration timeout) {
        return new PokePolicy(interval, Backoff.FIXED, Duration.ofMinutes(10), timeout);
    }
}
