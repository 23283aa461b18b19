package dev.sensorengine.engine;

/** The caller's request is wrong (malformed resource_meta, bad sensor_config); the message says what to fix. */
public final class InvalidRequestException extends EngineException {

    public InvalidRequestException(String message) {
        super(message, null);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
