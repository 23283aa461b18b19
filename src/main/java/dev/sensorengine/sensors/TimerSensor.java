package dev.sensorengine.sensors;

import java.time.Instant;

/**
 * A sensor that waits for a moment known when it is created. The service turns it into a durable workflow timer:
 * no pokes at all, exact to the second, and unaffected by restarts. Timer sensors must be on the class path of
 * the replicas that serve the API, which compute the moment when the sensor is created.
 */
public interface TimerSensor extends Sensor {

    /**
     * When the sensor fires, given its inputs and its creation time.
     *
     * @throws SensorConfigurationException when the inputs do not name a moment
     */
    Instant wakeAt(PokeRequest request, Instant createdAt);

    /** Never poked: the workflow waits on a timer instead. */
    @Override
    default PokeResult poke(PokeRequest request, SensorEnvironment environment) {
        throw new SensorConfigurationException(getClass().getSimpleName() + " runs as a workflow timer, not by pokes");
    }
}
