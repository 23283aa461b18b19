package dev.sensorengine.events;

import dev.sensorengine.engine.WakeReport;

/** What became of a message's events once handed to the waker; each source turns it into its acknowledgement. */
sealed interface Delivery {

    /** Every event was taken: the message may be acknowledged. */
    record Woken(WakeReport total) implements Delivery {}

    /** Temporal could not take them now; the sender should try again later. */
    record RetryLater(String reason) implements Delivery {}

    /** This deployment cannot take events at all (the waker said why); retrying will not help soon. */
    record CannotTake(String reason) implements Delivery {}

    /** The waker failed in a way it does not describe (a bug); logged with its stack trace. */
    record Failed(String reason) implements Delivery {}
}
