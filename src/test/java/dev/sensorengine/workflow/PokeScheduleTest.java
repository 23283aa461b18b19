package dev.sensorengine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PokeScheduleTest {

    private static PokeSchedule schedule(Backoff backoff, Duration interval, Duration max) {
        return new PokeSchedule(new PokePolicy(interval, backoff, max, Duration.ofDays(7)));
    }

    private static final PokeSchedule FIXED = schedule(Backoff.FIXED, Duration.ofSeconds(10), Duration.ofMinutes(10));
    private static final PokeSchedule EXPONENTIAL =
            schedule(Backoff.EXPONENTIAL, Duration.ofSeconds(10), Duration.ofSeconds(60));

    @Test
    void fixedBackoffShortensTheIntervalByUpToTenPercentAndNeverLengthensIt() {
        assertThat(FIXED.afterNotReady(1, 0.0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(FIXED.afterNotReady(1, 0.5)).isEqualTo(Duration.ofMillis(9_500));
        assertThat(FIXED.afterNotReady(1, 0.999)).isEqualTo(Duration.ofMillis(9_001));
    }

    @Test
    void fixedBackoffDoesNotGrowWithAttempts() {
        assertThat(FIXED.afterNotReady(50, 0.0)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void jitterNeverExceedsTheMaxInterval() {
        PokeSchedule atCap = schedule(Backoff.FIXED, Duration.ofSeconds(10), Duration.ofSeconds(10));

        assertThat(atCap.afterNotReady(1, 0.999)).isEqualTo(Duration.ofMillis(9_001));
        assertThat(atCap.afterNotReady(1, 0.0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(EXPONENTIAL.afterNotReady(10, 0.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(EXPONENTIAL.afterError(10, 0.0)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void exponentialBackoffDoublesPerAttemptUpToTheMax() {
        assertThat(EXPONENTIAL.afterNotReady(1, 0.0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(EXPONENTIAL.afterNotReady(2, 0.0)).isEqualTo(Duration.ofSeconds(20));
        assertThat(EXPONENTIAL.afterNotReady(3, 0.0)).isEqualTo(Duration.ofSeconds(40));
        assertThat(EXPONENTIAL.afterNotReady(4, 0.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(EXPONENTIAL.afterNotReady(5, 0.0)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void errorsDoublePerConsecutiveErrorUpToTheMaxWhateverTheBackoff() {
        PokeSchedule fixed = schedule(Backoff.FIXED, Duration.ofSeconds(10), Duration.ofSeconds(60));

        assertThat(fixed.afterError(1, 0.0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(fixed.afterError(2, 0.0)).isEqualTo(Duration.ofSeconds(20));
        assertThat(fixed.afterError(3, 0.0)).isEqualTo(Duration.ofSeconds(40));
        assertThat(fixed.afterError(4, 0.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(fixed.afterError(2, 0.5)).isEqualTo(Duration.ofSeconds(19));
    }

    @Test
    void hugeAttemptNumbersDoNotOverflow() {
        PokeSchedule week = schedule(Backoff.EXPONENTIAL, Duration.ofDays(1), Duration.ofDays(7));

        assertThat(week.afterNotReady(Integer.MAX_VALUE, 0.0)).isEqualTo(Duration.ofDays(7));
        assertThat(week.afterError(Integer.MAX_VALUE, 0.5))
                .isEqualTo(Duration.ofMillis(Duration.ofDays(7).toMillis() * 95 / 100));
        assertThat(EXPONENTIAL.afterNotReady(64, 0.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(EXPONENTIAL.afterNotReady(Integer.MAX_VALUE, 0.0)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void longIntervalsSaturateInsteadOfWrappingNegative() {
        // 100 days in millis shifted left 30 times wraps to a negative long.
        PokeSchedule slow = schedule(Backoff.EXPONENTIAL, Duration.ofDays(100), Duration.ofDays(400));

        assertThat(slow.afterNotReady(Integer.MAX_VALUE, 0.0)).isEqualTo(Duration.ofDays(400));
        assertThat(slow.afterError(40, 0.0)).isEqualTo(Duration.ofDays(400));
    }

    @Test
    void delayIsAlwaysPositive() {
        PokeSchedule tiny = schedule(Backoff.FIXED, Duration.ofMillis(1), Duration.ofMillis(1));

        assertThat(tiny.afterNotReady(1, 0.0)).isEqualTo(Duration.ofMillis(1));
    }
}
