package dev.sensorengine.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** When GetTask asks Temporal whether anyone polls a Python sensor's queue, and what it makes of the answer. */
class TaskQueuePollersTest {

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final PokePolicy POLICY =
            new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10), Duration.ofDays(1));
    private static final CallBudget BUDGET = CallBudget.of(Duration.ofSeconds(10));

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final List<String> asked = new ArrayList<>();
    private List<Instant> pollers = List.of();
    private RuntimeException refusal;
    private final TaskQueuePollers watch = new TaskQueuePollers(
            (queue, budget) -> {
                asked.add(queue);
                if (refusal != null) {
                    throw refusal;
                }
                return CompletableFuture.completedFuture(pollers);
            },
            new Clock() {
                @Override
                public Instant instant() {
                    return now.get();
                }

                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }
            });

    private Optional<String> unpolled(SensorSpec spec, WorkflowSnapshot snapshot) {
        return watch.unpolledQueue(spec, snapshot, BUDGET).toCompletableFuture().join();
    }

    @Test
    void aPythonSensorThatHasNotPokedOnAQueueNobodyPollsNamesTheQueue() {
        assertThat(unpolled(python("py"), notPokedYet())).contains("py");
        assertThat(asked).containsExactly("py");
    }

    @Test
    void aPollerSeenWithinSeventySecondsIsLiveAndOneOlderIsNot() {
        pollers = List.of(T0.minusSeconds(69));
        assertThat(unpolled(python("py"), notPokedYet())).isEmpty();

        // DescribeTaskQueue lists a dead worker's poller for minutes: its last access is what tells.
        now.set(T0.plusSeconds(10));
        pollers = List.of(T0.minusSeconds(61), T0.minusSeconds(300));
        assertThat(unpolled(python("py"), notPokedYet())).contains("py");
    }

    @Test
    void theAnswerIsKeptFiveSecondsPerQueue() {
        for (int i = 0; i < 10; i++) {
            unpolled(python("py"), notPokedYet());
            unpolled(python("other"), notPokedYet());
        }
        now.set(T0.plus(TaskQueuePollers.REMEMBER).minusMillis(1));
        unpolled(python("py"), notPokedYet());
        assertThat(asked).containsExactly("py", "other");

        now.set(T0.plus(TaskQueuePollers.REMEMBER));
        pollers = List.of(now.get());
        assertThat(unpolled(python("py"), notPokedYet())).isEmpty();
        assertThat(asked).containsExactly("py", "other", "py");
    }

    @Test
    void temporalIsNotAskedForJavaSensorsNorForPythonSensorsThatPokeOnTime() {
        SensorSpec java = new SensorSpec("m", "FileSensor", Map.of(), Map.of(), POLICY, T0);
        WorkflowSnapshot onTime = snapshot(3, Optional.of("not ready"), Optional.of(T0.plusSeconds(20)));
        WorkflowSnapshot lateButWithinSlack = snapshot(3, Optional.of("not ready"), Optional.of(T0.minusSeconds(4)));

        assertThat(unpolled(java, notPokedYet())).isEmpty();
        assertThat(unpolled(python("py"), onTime)).isEmpty();
        assertThat(unpolled(python("py"), lateButWithinSlack)).isEmpty();
        assertThat(unpolled(python("py"), closed())).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void anOverduePokeAsks() {
        WorkflowSnapshot overdue = snapshot(3, Optional.of("not ready"), Optional.of(T0.minusSeconds(6)));

        assertThat(unpolled(python("py"), overdue)).contains("py");
    }

    @Test
    void whenTemporalDoesNotTellTheStatusSaysNothingOfPollers() {
        refusal = Status.PERMISSION_DENIED.asRuntimeException();

        assertThat(unpolled(python("py"), notPokedYet())).isEmpty();
        assertThat(watch.live("py", BUDGET).toCompletableFuture().join()).isEmpty();
        assertThat(asked).containsExactly("py"); // the failure is remembered as long as an answer would be
    }

    @Test
    void queuesBeyondTheBoundAreNotAsked() {
        for (int i = 0; i < TaskQueuePollers.MAX_QUEUES + 5; i++) {
            watch.live("q" + i, BUDGET);
        }

        assertThat(asked).hasSize(TaskQueuePollers.MAX_QUEUES);
        assertThat(watch.live("q" + (TaskQueuePollers.MAX_QUEUES + 1), BUDGET)
                        .toCompletableFuture()
                        .join())
                .isEmpty();
    }

    private static SensorSpec python(String queue) {
        return new SensorSpec("my.sensors", "WaitForRows", Map.of(), Map.of(), POLICY, T0, null, queue, null, null);
    }

    private static WorkflowSnapshot notPokedYet() {
        return snapshot(0, Optional.empty(), Optional.empty());
    }

    private static WorkflowSnapshot snapshot(long pokes, Optional<String> last, Optional<Instant> next) {
        return new WorkflowSnapshot(
                "run",
                WorkflowSnapshot.State.OPEN,
                pokes,
                last,
                Optional.empty(),
                next,
                Optional.empty(),
                "",
                Map.of(),
                0,
                "");
    }

    private static WorkflowSnapshot closed() {
        return new WorkflowSnapshot(
                "run",
                WorkflowSnapshot.State.TIMED_OUT,
                0,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(T0),
                "timed out",
                Map.of(),
                0,
                "");
    }
}
