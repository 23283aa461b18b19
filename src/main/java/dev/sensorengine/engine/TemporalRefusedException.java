package dev.sensorengine.engine;

/**
 * Temporal answered, and refused: a failure that retrying does not mend (credentials, a missing namespace, a request
 * it will not take). The message says what to fix; the facade keeps the kind as the status code.
 */
public final class TemporalRefusedException extends EngineException {

    /** What Temporal refused, as the status code a caller should see. */
    public enum Reason {
        PERMISSION_DENIED,
        UNAUTHENTICATED,
        FAILED_PRECONDITION,
        INVALID_ARGUMENT,
        RESOURCE_EXHAUSTED
    }

    private final Reason reason;

    TemporalRefusedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
