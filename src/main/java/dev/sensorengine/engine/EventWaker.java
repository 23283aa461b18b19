package dev.sensorengine.engine;

/**
 * Wakes the waiting sensors whose target an event names. Event sources call it and acknowledge their event only once
 * it returns, so that a sender retries an event whose sensors were not signalled.
 */
public interface EventWaker {

    /**
     * Finds the waiting sensors whose target matches the event's object and signals each to poke now.
     *
     * @throws TemporalUnavailableException when Temporal could not be asked or did not take every signal; the event
     *     should be retried
     * @throws InvalidRequestException when this deployment cannot take events (for example a Temporal without
     *     visibility queries), with a message that says why
     */
    WakeReport wake(ObjectEvent event);
}
