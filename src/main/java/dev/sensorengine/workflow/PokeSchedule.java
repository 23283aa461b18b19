package dev.sensorengine.workflow;

import java.time.Duration;

/**
 * The wait before the next poke: the sensor's interval (doubling per poke under exponential backoff) after
 * "not ready", doubling per consecutive error after a poke error, both capped at the maximum interval and
 * shortened by up to 10% jitter so that sensors created together do not poke together. Jitter only ever
 * shortens the wait: the interval is the longest a sensor leaves its condition unchecked, so a condition that
 * becomes true is seen within one interval.
 */
public record PokeSchedule(PokePolicy policy) {

    private static final double JITTER = 0.1;
    private static final int MAX_DOUBLINGS = 30;

    /**
     * @param attempt the poke that just found the condition false, from 1
     * @param random a number in [0, 1) choosing the jitter
     */
    public Duration afterNotReady(int attempt, double random) {
        int doublings = policy.backoff() == Backoff.EXPONENTIAL ? attempt - 1 : 0;
        return jittered(grown(doublings), random);
    }

    /**
     * @param consecutiveErrors the number of poke errors in a row, including the one just seen, from 1
     * @param random a number in [0, 1) choosing the jitter
     */
    public Duration afterError(int consecutiveErrors, double random) {
        return jittered(grown(consecutiveErrors - 1), random);
    }

    private Duration grown(int doublings) {
        int n = Math.max(0, Math.min(doublings, MAX_DOUBLINGS));
        long millis = policy.interval().toMillis();
        long grown = millis > (Long.MAX_VALUE >> n) ? Long.MAX_VALUE : millis << n;
        return Duration.ofMillis(Math.min(grown, policy.maxInterval().toMillis()));
    }

    private Duration jittered(Duration base, double random) {
        double factor = 1 - JITTER * random;
        long millis = Math.round(base.toMillis() * factor);
        return Duration.ofMillis(
                Math.max(1, Math.min(millis, policy.maxInterval().toMillis())));
    }
}
