package dev.sensorengine.sensors.time;

import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.TimerSensor;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Fires input {@code delta} (a duration) after the sensor was created. Counted from creation, so a retry of the
 * connector's calls or a restart does not start the wait again.
 */
public final class TimeDeltaSensor implements TimerSensor {

    @Override
    public Set<String> names() {
        return Set.of("sensor_engine.sensors.TimeDeltaSensor", "TimeDeltaSensor");
    }

    @Override
    public Instant wakeAt(PokeRequest request, Instant createdAt) {
        Duration delta = request.inputValues().duration("delta");
        try {
            return createdAt.plus(delta);
        } catch (DateTimeException | ArithmeticException e) {
            throw new SensorConfigurationException("input 'delta' (" + delta + ") reaches beyond the calendar");
        }
    }

    @Override
    public String target(PokeRequest request) {
        return "a delay of " + request.inputValues().string("delta");
    }
}
