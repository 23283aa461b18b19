package dev.sensorengine.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sensorengine.temporal.TemporalUnderTest.Server;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failure's {@code next_retry_delay} against the retry policy's maximum interval. The poke activity sets the delay
 * of every not-ready poke and poke error; the workflow's retry policy applies only to failures without one (a poke that
 * timed out, a worker that died). The design needs the delay to be used as given.
 */
class NextRetryDelayTest {

    /**
     * Slack on a measured gap between two attempts: task dispatch on a loaded 2-core machine (1.5 s seen with three
     * test runs at once). Lower bounds are exact: the server never retries early.
     */
    private static final long LATENCY_MS = 2_000;

    @ParameterizedTest
    @EnumSource(Server.class)
    void aDelayWithinTheMaximumIsUsedAsGivenNotThePolicysBackoff(Server server) throws Exception {
        ScriptedProbe probe = new ScriptedProbe((attempt, context) -> {
            if (attempt.number() < 3) {
                throw ApplicationFailure.newFailureWithCauseAndDelay(
                        "not yet", "SensorNotReady", null, Duration.ofMillis(1_500));
            }
            return "done";
        });

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            run(temporal, probe, Duration.ofMillis(200), Duration.ofSeconds(3));
        }

        // The policy alone would wait 200 ms, then 400 ms.
        assertThat(probe.gapMillis(1)).isBetween(1_500L, 1_500L + LATENCY_MS);
        assertThat(probe.gapMillis(2)).isBetween(1_500L, 1_500L + LATENCY_MS);
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aDelayBeyondTheMaximumIsUsedAsGivenToo(Server server) throws Exception {
        ScriptedProbe probe = new ScriptedProbe((attempt, context) -> {
            if (attempt.number() == 1) {
                throw ApplicationFailure.newFailureWithCauseAndDelay(
                        "not yet", "SensorNotReady", null, Duration.ofSeconds(4));
            }
            return "done";
        });

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            run(temporal, probe, Duration.ofMillis(200), Duration.ofSeconds(1));
        }

        // The maximum interval bounds only the policy's own backoff (measured on server 1.32.0: 4,090 ms).
        assertThat(probe.gapMillis(1)).isBetween(4_000L, 4_000L + LATENCY_MS);
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aZeroDelayEndsTheRetriesOnTheRealServer(Server server) throws Exception {
        ScriptedProbe probe = new ScriptedProbe((attempt, context) -> {
            if (attempt.number() == 1) {
                throw ApplicationFailure.newFailureWithCauseAndDelay("not yet", "SensorNotReady", null, Duration.ZERO);
            }
            return "done";
        });

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            Throwable failure =
                    catchThrowable(() -> run(temporal, probe, Duration.ofMillis(200), Duration.ofSeconds(2)));

            if (server == Server.REAL) {
                // No schedule-to-close, attempts unlimited, and yet: retry state TIMEOUT at once. So no poke may ever
                // ask for a zero delay (PokeSchedule gives at least 1 ms).
                assertThat(failure)
                        .isInstanceOf(WorkflowFailedException.class)
                        .cause()
                        .isInstanceOfSatisfying(
                                ActivityFailure.class,
                                e -> assertThat(e.getRetryState()).isEqualTo(RetryState.RETRY_STATE_TIMEOUT));
                assertThat(probe.attempts).hasSize(1);
            } else {
                // The SDK test server retries at once.
                assertThat(failure).isNull();
                assertThat(probe.gapMillis(1)).isBetween(0L, LATENCY_MS);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aFailureWithoutADelayFollowsThePolicy(Server server) throws Exception {
        ScriptedProbe probe = new ScriptedProbe((attempt, context) -> {
            if (attempt.number() < 4) {
                throw ApplicationFailure.newFailure("lost", "SensorPokeError");
            }
            return "done";
        });

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            run(temporal, probe, Duration.ofSeconds(2), Duration.ofSeconds(6));
        }

        // 2 s, doubling, capped at 6 s.
        assertThat(probe.gapMillis(1)).isBetween(2_000L, 2_000L + LATENCY_MS);
        assertThat(probe.gapMillis(2)).isBetween(4_000L, 4_000L + LATENCY_MS);
        assertThat(probe.gapMillis(3)).isBetween(6_000L, 6_000L + LATENCY_MS);
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void thePolicysBackoffCountsEveryAttemptBeforeNotOnlyTheFailuresWithoutADelay(Server server) throws Exception {
        // Five pokes with delays of their own, then one without (a lost poke): its wait is the sixth step of the
        // policy's backoff (100 ms doubled five times), not the first. So a sensor that has poked for long and loses
        // one poke waits its maximum interval, unless the coefficient is 1.
        ScriptedProbe probe = new ScriptedProbe((attempt, context) -> {
            if (attempt.number() <= 5) {
                throw ApplicationFailure.newFailureWithCauseAndDelay(
                        "not yet", "SensorNotReady", null, Duration.ofMillis(100));
            }
            if (attempt.number() == 6) {
                throw ApplicationFailure.newFailure("lost", "SensorPokeError");
            }
            return "done";
        });

        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            run(temporal, probe, Duration.ofMillis(100), Duration.ofSeconds(10));
        }

        assertThat(probe.gapMillis(6)).isBetween(3_200L, 3_200L + LATENCY_MS);
    }

    private static void run(TemporalUnderTest temporal, ScriptedProbe probe, Duration initial, Duration maximum) {
        assertThat(Probes.run(temporal, probe, Probes.retries(initial, maximum), Duration.ofMinutes(1)))
                .isEqualTo("done");
    }
}
