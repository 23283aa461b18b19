package dev.sensorengine.engine;

/** Why the engine could not serve a call; the facade turns each kind into a status code. */
public abstract sealed class EngineException extends RuntimeException
        permits InvalidRequestException, TemporalUnavailableException, TemporalRefusedException {

    EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
