package dev.sensorengine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PokeScheduleTest {

    private final PokeSchedule fixed = new PokeSchedule(
            new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10), Duration.ofDays(1)));
    private final PokeSchedule exponential = new PokeSchedule(
            new PokePolicy(Duration.ofSeconds(10), Backoff.EXPONENTIAL, Duration.ofSeconds(60), Duration.ofDays(1)));

    @Test
    void fixedWaitsTheIntervalWithinTenPercent() {
        assertThat(fixed.afterNotReady(7, 0.0)).isEqualTo(Duration.ofSeconds(27));
        assertThat(fixed.afterNotReady(7, 0.5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(fixed.afterNotReady(7, 0.9999)).isBetween(Duration.ofMillis(32_990), Duration.ofSeconds(33));
    }

    @Test
    void exponentialDoublesPerPokeUpToTheMaximum() {
        assertThat(exponential.afterNotReady(1, 0.5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(exponential.afterNotReady(2, 0.5)).isEqualTo(Duration.ofSeconds(20));
        assertThat(exponential.afterNotReady(3, 0.5)).isEqualTo(Duration.ofSeconds(40));
        assertThat(exponential.afterNotReady(4, 0.5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(exponential.afterNotReady(4, 0.9999)).isEqualTo(Duration.ofSeconds(60));
        assertThat(exponential.afterNotReady(Integer.MAX_VALUE, 0.5)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void errorsDoublePerErrorInARowWhateverTheBackoff() {
        assertThat(fixed.afterError(1, 0.5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(fixed.afterError(2, 0.5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(fixed.afterError(5, 0.5)).isEqualTo(Duration.ofMinutes(8));
        assertThat(fixed.afterError(6, 0.5)).isEqualTo(Duration.ofMinutes(10));
        assertThat(fixed.afterError(1_000, 0.5)).isEqualTo(Duration.ofMinutes(10));
    }
}
