package dev.sensorengine.workflow.poke;

import dev.sensorengine.sensors.Sensor;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounds pokes per second against one external system ({@code --rate-limit TARGET=N/s}, where the target is what
 * {@link Sensor#endpoint} names: a host or a bucket). A poke beyond the limit waits for its turn; it is delayed,
 * never failed, so a thousand sensors on one bucket stay inside the provider's quota.
 */
public final class RateLimits {

    private static final Pattern LIMIT = Pattern.compile("([^=]+)=(\\d+)/(s|m)");

    private final Map<String, Bucket> buckets;
    private final BlockingStrategy waiting;

    /** @param limits pokes allowed per second by target */
    public RateLimits(Map<String, Double> limits, TimeMeter clock, BlockingStrategy waiting) {
        Map<String, Bucket> byTarget = new TreeMap<>();
        limits.forEach((target, perSecond) -> byTarget.put(target, bucket(perSecond, clock)));
        this.buckets = Map.copyOf(byTarget);
        this.waiting = waiting;
    }

    public static RateLimits of(Map<String, Double> limits) {
        return new RateLimits(limits, TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
    }

    public static RateLimits none() {
        return of(Map.of());
    }

    /**
     * Parses {@code TARGET=N/s} or {@code TARGET=N/m}.
     *
     * @throws IllegalArgumentException saying the accepted form
     */
    public static Map.Entry<String, Double> parse(String text) {
        Matcher matcher = LIMIT.matcher(text.trim());
        if (!matcher.matches() || Long.parseLong(matcher.group(2)) == 0) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a rate limit; use TARGET=N/s or TARGET=N/m with N > 0, "
                            + "e.g. my-bucket=50/s or api.example.com=600/m");
        }
        double count = Long.parseLong(matcher.group(2));
        return Map.entry(matcher.group(1).trim(), matcher.group(3).equals("s") ? count : count / 60);
    }

    /**
     * Waits until a poke of {@code endpoint} is allowed.
     *
     * @return how long it waited (zero when the target has no limit or had room)
     */
    public Duration acquire(Optional<String> endpoint) throws InterruptedException {
        Bucket bucket = endpoint.map(buckets::get).orElse(null);
        if (bucket == null) {
            return Duration.ZERO;
        }
        var probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Duration.ZERO;
        }
        bucket.asBlocking().consume(1, waiting);
        return Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    private static Bucket bucket(double perSecond, TimeMeter clock) {
        long capacity = Math.max(1, (long) Math.floor(perSecond));
        // Refill one token every 1/perSecond seconds; a burst never exceeds one second's worth.
        Duration period = Duration.ofNanos((long) (1_000_000_000L / perSecond));
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(capacity)
                        .refillGreedy(1, period)
                        .build())
                .withCustomTimePrecision(clock)
                .build();
    }
}
