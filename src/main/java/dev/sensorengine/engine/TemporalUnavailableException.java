package dev.sensorengine.engine;

/** Temporal did not answer in time or refused to; the call may be retried. */
public final class TemporalUnavailableException extends EngineException {

    public TemporalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
