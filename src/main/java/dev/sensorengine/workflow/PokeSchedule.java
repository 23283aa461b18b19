package dev.sensorengine.workflow;

import java.time.Duration;

/**
 * The wait before the next poke: the sensor's interval (doubling per poke under exponential backoff) after
 * "not ready", doubling per consecutive error after a poke error, both capped at the maximum interval and
 * shortened by up to 10% jitter so that sensors created together do not poke together. Jitter only ever
 * shortens the wait: the interval is the longest a sensor leaves its condition unchecked, so a condition that
 * becomes true is seen within one interval.
 *
 * <p>No wait reaches past the sensor's deadline ({@link #beforeDeadline}): the real Temporal server stops retrying an
 * activity whose next attempt would come after its schedule-to-close, and the last poke belongs before the deadline,
 * where its answer still counts.
 */
public record PokeSchedule(PokePolicy policy) {

    /**
     * How long before the deadline the last poke comes, so that its answer reaches the workflow before the deadline
     * timer ends the sensor.
     */
    public static final Duration DEADLINE_LEAD = Duration.ofSeconds(1);

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

    /**
     * A wait shortened so that the next poke comes at the latest {@link #DEADLINE_LEAD} before the deadline. Within
     * that last lead the wait is left as it is: the deadline timer ends the sensor before the poke it schedules.
     * Whole milliseconds, at least one: the real server turns a zero delay into the retry policy's maximum interval.
     *
     * @param delay the wait that {@link #afterNotReady}, {@link #afterError} or a rate limit gave
     * @param timeLeft from now to the sensor's deadline; negative once it has passed
     */
    public static Duration beforeDeadline(Duration delay, Duration timeLeft) {
        long leadMillis = DEADLINE_LEAD.toMillis();
        long leftMillis = timeLeft.toMillis();
        if (leftMillis <= leadMillis) {
            return delay;
        }
        long latest = Math.max(1, leftMillis - leadMillis);
        return delay.toMillis() > latest ? Duration.ofMillis(latest) : delay;
    }
}
