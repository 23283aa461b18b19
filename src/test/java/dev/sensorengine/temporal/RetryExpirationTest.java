package dev.sensorengine.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sensorengine.temporal.TemporalUnderTest.Server;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * When the server stops retrying an activity for time: the root of the deadline bug (issue 11, item 4). A retry whose
 * start would come after the activity's schedule-to-close is not made: the activity fails at once, with retry state
 * TIMEOUT and the last attempt's own failure as its cause, long before the schedule-to-close itself. The schedule-to-close
 * is cut to the workflow run's timeout. The SDK test server (1.38) does the same in each case.
 */
class RetryExpirationTest {

    @ParameterizedTest
    @EnumSource(Server.class)
    void aRetryThatWouldStartAfterTheScheduleToCloseFailsTheActivityAtOnce(Server server) throws Exception {
        ScriptedProbe probe = new ScriptedProbe((attempt, context) -> {
            throw ApplicationFailure.newFailureWithCauseAndDelay(
                    "s3://b/k does not exist", "SensorNotReady", null, Duration.ofSeconds(20));
        });
        Instant started = Instant.now();

        Throwable failure;
        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            failure = catchThrowable(() -> Probes.run(
                    temporal,
                    probe,
                    new ProbeWorkflow.Options(
                            Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofSeconds(5)),
                    Duration.ofMinutes(1)));
        }

        ActivityFailure activity = activityFailure(failure);
        assertThat(activity.getRetryState()).isEqualTo(RetryState.RETRY_STATE_TIMEOUT);
        assertThat(activity.getCause())
                .isInstanceOfSatisfying(
                        ApplicationFailure.class, e -> assertThat(e.getType()).isEqualTo("SensorNotReady"));
        assertThat(probe.attempts).hasSize(1);
        // At the failed attempt, not at the schedule-to-close 10 s later.
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(8));
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void theScheduleToCloseIsCutToTheWorkflowRunTimeout(Server server) throws Exception {
        // Asked for an hour, but the run may last 6 s: a 10 s delay does not fit, and the activity fails at once.
        ScriptedProbe probe = new ScriptedProbe((attempt, context) -> {
            throw ApplicationFailure.newFailureWithCauseAndDelay(
                    "s3://b/k does not exist", "SensorNotReady", null, Duration.ofSeconds(10));
        });

        Throwable failure;
        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            failure = catchThrowable(() -> Probes.run(
                    temporal,
                    probe,
                    new ProbeWorkflow.Options(
                            Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(5)),
                    Duration.ofSeconds(6)));
        }

        // Not the workflow's own timeout 6 s later: the activity failed at once.
        assertThat(activityFailure(failure).getRetryState()).isEqualTo(RetryState.RETRY_STATE_TIMEOUT);
        assertThat(probe.attempts).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aRetryTheServerComputesAfterAStartToCloseTimeoutIsBoundTheSameWay(Server server) throws Exception {
        // An attempt that overruns its start-to-close has no delay of its own: the policy's 20 s does not fit.
        ScriptedProbe probe = new ScriptedProbe((attempt, context) -> {
            sleep(Duration.ofSeconds(3));
            return "too late";
        });
        Instant started = Instant.now();

        Throwable failure;
        try (TemporalUnderTest temporal = TemporalUnderTest.on(server)) {
            failure = catchThrowable(() -> Probes.run(
                    temporal,
                    probe,
                    new ProbeWorkflow.Options(
                            Duration.ofSeconds(20), Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofSeconds(1)),
                    Duration.ofMinutes(1)));
        }

        ActivityFailure activity = activityFailure(failure);
        // Reported as a schedule-to-close timeout at once (the retries are over), not as the attempt's start-to-close
        // timeout and not at the schedule-to-close 10 s later: a workflow that looks only for an ApplicationFailure
        // cause misses this one.
        assertThat(activity.getRetryState()).isEqualTo(RetryState.RETRY_STATE_TIMEOUT);
        assertThat(activity.getCause()).isInstanceOfSatisfying(TimeoutFailure.class, e -> {
            assertThat(e.getTimeoutType()).isEqualTo(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
            if (server == Server.REAL) {
                assertThat(e.getOriginalMessage())
                        .isEqualTo("Not enough time to schedule next retry before activity ScheduleToClose timeout, "
                                + "giving up retrying");
            }
        });
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(8));
        assertThat(probe.attempts).hasSize(1);
    }

    private static ActivityFailure activityFailure(Throwable failure) {
        assertThat(failure).isInstanceOf(WorkflowFailedException.class);
        assertThat(failure.getCause()).isInstanceOf(ActivityFailure.class);
        return (ActivityFailure) failure.getCause();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
