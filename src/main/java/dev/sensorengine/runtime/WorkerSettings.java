package dev.sensorengine.runtime;

import dev.sensorengine.sensors.SensorEnvironment;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the worker pokes.
 *
 * @param sensorAccess what sensors may reach: file roots, named connections, admitted networks
 * @param rateLimits most pokes per second against one target ({@code --rate-limit})
 * @param sharedPokeWindow how long one poke's result is shared by identical pokes
 */
public record WorkerSettings(
        SensorEnvironment sensorAccess, Map<String, Double> rateLimits, Duration sharedPokeWindow) {

    public WorkerSettings {
        Objects.requireNonNull(sensorAccess, "sensorAccess");
        rateLimits = Map.copyOf(rateLimits);
        Objects.requireNonNull(sharedPokeWindow, "sharedPokeWindow");
    }
}
