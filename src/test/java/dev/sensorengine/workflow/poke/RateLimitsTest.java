package dev.sensorengine.workflow.poke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Rate limits on a simulated clock: waiting advances the clock instead of sleeping. */
class RateLimitsTest {

    private final AtomicLong now = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return now.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    private final BlockingStrategy waiting = new BlockingStrategy() {
        @Override
        public void park(long nanos) {
            parked.addAndGet(nanos);
            now.addAndGet(nanos);
        }
    };

    @Test
    void pokesBeyondTheLimitWaitTheirTurnInsteadOfFailing() throws Exception {
        RateLimits limits = new RateLimits(Map.of("my-bucket", 2.0), clock, waiting);

        assertThat(limits.acquire(Optional.of("my-bucket"))).isZero();
        assertThat(limits.acquire(Optional.of("my-bucket"))).isZero();
        Duration third = limits.acquire(Optional.of("my-bucket"));
        Duration fourth = limits.acquire(Optional.of("my-bucket"));

        assertThat(third.toMillis()).isCloseTo(500, within(5L));
        assertThat(fourth.toMillis()).isCloseTo(500, within(5L));
        // Four pokes at 2/s: the last one went through a second after the first.
        assertThat(Duration.ofNanos(now.get()).toMillis()).isCloseTo(1000, within(5L));
    }

    @Test
    void targetsWithoutALimitAndSensorsWithoutAnEndpointNeverWait() throws Exception {
        RateLimits limits = new RateLimits(Map.of("my-bucket", 1.0), clock, waiting);

        for (int i = 0; i < 100; i++) {
            assertThat(limits.acquire(Optional.of("other-bucket"))).isZero();
            assertThat(limits.acquire(Optional.empty())).isZero();
        }
        assertThat(parked).hasValue(0);
    }

    @Test
    void limitsParseAsTargetEqualsCountPerSecondOrMinute() {
        assertThat(RateLimits.parse("my-bucket=50/s")).isEqualTo(Map.entry("my-bucket", 50.0));
        assertThat(RateLimits.parse("api.example.com=120/m")).isEqualTo(Map.entry("api.example.com", 2.0));
        assertThatThrownBy(() -> RateLimits.parse("my-bucket=fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TARGET=N/s");
        assertThatThrownBy(() -> RateLimits.parse("my-bucket=0/s")).hasMessageContaining("N > 0");
    }
}
