package dev.sensorengine.sensors;

/**
 * The task itself is wrong (bad input, unknown sensor, a path the service refuses): retrying cannot help,
 * so the sensor fails at once with this message, which must say what to fix.
 */
public class SensorConfigurationException extends RuntimeException {

    public SensorConfigurationException(String message) {
        super(message);
    }
}
