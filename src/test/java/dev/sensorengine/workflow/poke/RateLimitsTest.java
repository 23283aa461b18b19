package dev.sensorengine.workflow.poke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Rate limits on a simulated clock: nothing waits, the clock is moved. */
class RateLimitsTest {

    private final AtomicLong now = new AtomicLong();
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

    @Test
    void pokesBeyondTheLimitAreGivenTurnsInOrderInsteadOfWaiting() {
        RateLimits limits = new RateLimits(Map.of("my-bucket", 2.0), clock);

        assertThat(limits.admit(Optional.of("my-bucket"), "a")).isZero();
        assertThat(limits.admit(Optional.of("my-bucket"), "b")).isZero();
        // 2/s: the third and fourth get the turns half a second and a second away, without anyone waiting.
        assertThat(limits.admit(Optional.of("my-bucket"), "c")).isEqualTo(Duration.ofMillis(500));
        assertThat(limits.admit(Optional.of("my-bucket"), "d")).isEqualTo(Duration.ofMillis(1000));
        assertThat(now).hasValue(0);
    }

    @Test
    void aPokeThatComesBackAtItsTurnGoesWithoutTakingAnother() {
        RateLimits limits = new RateLimits(Map.of("my-bucket", 1.0), clock);
        limits.admit(Optional.of("my-bucket"), "a");
        assertThat(limits.admit(Optional.of("my-bucket"), "b")).isEqualTo(Duration.ofSeconds(1));

        // Back early: still its turn ahead, and no second turn taken.
        now.addAndGet(Duration.ofMillis(400).toNanos());
        assertThat(limits.admit(Optional.of("my-bucket"), "b")).isEqualTo(Duration.ofMillis(600));
        // Back at its turn (a little early is on time): it goes, and the turn is used up.
        now.addAndGet(Duration.ofMillis(590).toNanos());
        assertThat(limits.admit(Optional.of("my-bucket"), "b")).isZero();
        assertThat(limits.admit(Optional.of("my-bucket"), "c")).isEqualTo(Duration.ofMillis(1010));
        now.addAndGet(Duration.ofMillis(1010).toNanos());
        assertThat(limits.admit(Optional.of("my-bucket"), "c")).isZero();
        assertThat(limits.admit(Optional.of("my-bucket"), "b")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void targetsWithoutALimitAndSensorsWithoutAnEndpointGoAtOnce() {
        RateLimits limits = new RateLimits(Map.of("my-bucket", 1.0), clock);

        for (int i = 0; i < 100; i++) {
            assertThat(limits.admit(Optional.of("other-bucket"), "p" + i)).isZero();
            assertThat(limits.admit(Optional.empty(), "p" + i)).isZero();
        }
    }

    @Test
    void limitsAreDescribedInTheUnitTheyWereGivenIn() {
        RateLimits limits = new RateLimits(
                Map.of("fast", 50.0, "slow", RateLimits.parse("slow=1/m").getValue(), "half", 0.5), clock);

        assertThat(limits.describe("fast")).isEqualTo("fast (50 pokes/s)");
        assertThat(limits.describe("slow")).isEqualTo("slow (1 pokes/min)");
        assertThat(limits.describe("half")).isEqualTo("half (30 pokes/min)");
        assertThat(limits.describe("unlimited")).isEqualTo("unlimited");
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
