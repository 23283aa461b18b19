package dev.sensorengine.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One signal per sensor per second; events in between ride on the next, which carries the latest of them. */
class WakeThrottleTest {

    private static final long SECOND = 1_000_000_000L;
    private final WakeThrottle throttle = new WakeThrottle();

    private static ObjectEvent event(String id, long receivedSecond) {
        return new ObjectEvent("test", id, "/x", Instant.ofEpochSecond(receivedSecond));
    }

    @Test
    void theFirstGoesNowTheNextWaitsForTheWindowAndTheRestRideOnIt() {
        assertThat(throttle.decide("s", event("a", 1), 0)).isInstanceOf(WakeThrottle.Decision.SendNow.class);
        assertThat(throttle.decide("s", event("b", 2), SECOND / 4))
                .isEqualTo(new WakeThrottle.Decision.SendLater(SECOND));
        assertThat(throttle.decide("s", event("c", 4), SECOND / 2)).isInstanceOf(WakeThrottle.Decision.Ride.class);
        assertThat(throttle.decide("s", event("d", 3), SECOND / 2)).isInstanceOf(WakeThrottle.Decision.Ride.class);

        assertThat(throttle.takeDue("s", SECOND)).map(ObjectEvent::id).contains("c");
        assertThat(throttle.takeDue("s", SECOND)).isEmpty();
        // The delayed signal opened a window of its own.
        assertThat(throttle.decide("s", event("e", 5), SECOND + SECOND / 2))
                .isEqualTo(new WakeThrottle.Decision.SendLater(2 * SECOND));
    }

    @Test
    void sensorsAreThrottledApartAndForgottenOnceQuiet() {
        assertThat(throttle.decide("s1", event("a", 1), 0)).isInstanceOf(WakeThrottle.Decision.SendNow.class);
        assertThat(throttle.decide("s2", event("a", 1), 0)).isInstanceOf(WakeThrottle.Decision.SendNow.class);
        assertThat(throttle.decide("s1", event("b", 1), 2 * SECOND)).isInstanceOf(WakeThrottle.Decision.SendNow.class);
        assertThat(throttle.size()).as("s2 swept").isEqualTo(1);
    }
}
