package dev.sensorengine.sensors.time;

import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.TimerSensor;
import java.time.Instant;
import java.util.Set;

/** Fires at input {@code target_time} (a datetime). As Airflow's DateTimeSensor, but as a durable timer. */
public final class DateTimeSensor implements TimerSensor {

    @Override
    public Set<String> names() {
        return Set.of("sensor_engine.sensors.DateTimeSensor", "DateTimeSensor");
    }

    @Override
    public Instant wakeAt(PokeRequest request, Instant createdAt) {
        return request.inputValues().instant("target_time");
    }

    @Override
    public String target(PokeRequest request) {
        return request.inputValues().string("target_time");
    }
}
