package dev.sensorengine.workflow;

/** The {@code ApplicationFailure} types a poke and a sensor workflow fail with. */
public final class FailureTypes {

    /** The condition does not hold yet; retried after the sensor's interval. */
    public static final String NOT_READY = "SensorNotReady";
    /** The poke itself failed (network, 5xx); retried with backoff. */
    public static final String POKE_ERROR = "SensorPokeError";
    /**
     * The poke was not made: its target's rate limit ({@code --rate-limit}) has no room before the failure's next
     * delay, which is the poke's reserved turn. Retried then; the sensor is still waiting.
     */
    public static final String POKE_DEFERRED = "SensorPokeDeferred";
    /** The task is wrong; not retried. */
    public static final String CONFIGURATION = "SensorConfigurationError";
    /** The sensor's timeout passed before its condition held. */
    public static final String TIMEOUT = "SensorTimeout";

    private FailureTypes() {}
}
