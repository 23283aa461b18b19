package dev.sensorengine.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * The poke policy of a task whose {@code sensor_config} and metadata leave it open.
 *
 * @param interval time between pokes ({@code --default-poke-interval})
 * @param maxInterval cap of the interval under backoff ({@code --max-poke-interval})
 * @param timeout time from creation after which a sensor fails ({@code --default-timeout})
 */
public record PokeDefaults(Duration interval, Duration maxInterval, Duration timeout) {

    public PokeDefaults {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(maxInterval, "maxInterval");
        Objects.requireNonNull(timeout, "timeout");
    }
}
