package dev.sensorengine.workflow.poke;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.sensorengine.sensors.Sensor;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounds pokes per second against one external system ({@code --rate-limit TARGET=N/s}, where the target is what
 * {@link Sensor#endpoint} names: a host or a bucket), so a thousand sensors on one bucket stay inside the provider's
 * quota.
 *
 * <p>A poke beyond the limit is never failed and never waits on a worker thread: it is given the next free turn and
 * told how long until then ({@link #admit}), and the poke activity answers with that as its retry delay, freeing its
 * activity slot. The turn is reserved when it is handed out (its token is taken then), so turns go out in order, each
 * once, and the poke that comes back at its turn goes without taking another.
 */
public final class RateLimits {

    private static final Pattern LIMIT = Pattern.compile("([^=]+)=(\\d+)/(s|m)");
    /** A poke this early for its turn goes: the server's retry timer and this clock need not agree to the nanosecond. */
    private static final long EARLY_NANOS = Duration.ofMillis(50).toNanos();
    /** How long a turn is kept for a poke that does not come back (deleted, or retried on another worker). */
    private static final long KEEP_NANOS = Duration.ofMinutes(10).toNanos();

    private final Map<String, Limit> limits;
    private final TimeMeter clock;
    private final Cache<String, Long> turns;

    /** A target's bucket and its rate, for messages. */
    private record Limit(Bucket bucket, double perSecond) {}

    /** @param limits pokes allowed per second by target */
    public RateLimits(Map<String, Double> limits, TimeMeter clock) {
        Map<String, Limit> byTarget = new TreeMap<>();
        limits.forEach((target, perSecond) -> byTarget.put(target, new Limit(bucket(perSecond, clock), perSecond)));
        this.limits = Map.copyOf(byTarget);
        this.clock = clock;
        this.turns = Caffeine.newBuilder()
                .maximumSize(1_000_000)
                .ticker(clock::currentTimeNanos)
                .expireAfter(new Expiry<String, Long>() {
                    @Override
                    public long expireAfterCreate(String key, Long due, long now) {
                        return Math.max(0, due - now) + KEEP_NANOS;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Long due, long now, long current) {
                        return expireAfterCreate(key, due, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Long due, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    public static RateLimits of(Map<String, Double> limits) {
        return new RateLimits(limits, TimeMeter.SYSTEM_NANOTIME);
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
     * Whether one poke of {@code endpoint} may go now.
     *
     * @param pokeId names the poke across its retries (workflow, run and activity), so that a poke coming back at its
     *     turn is known
     * @return zero when it may go now; else how long until its turn, which is now reserved for it
     */
    public Duration admit(Optional<String> endpoint, String pokeId) {
        Limit limit = endpoint.map(limits::get).orElse(null);
        if (limit == null) {
            return Duration.ZERO;
        }
        String key = endpoint.get() + "\n" + pokeId;
        long now = clock.currentTimeNanos();
        Long due = turns.getIfPresent(key);
        if (due != null) {
            if (due - now > EARLY_NANOS) {
                return Duration.ofNanos(due - now);
            }
            turns.invalidate(key);
            return Duration.ZERO;
        }
        // Takes a token even when there is none: the balance goes below zero, and the penalty is when this poke's
        // token will have been refilled, i.e. its turn after every turn handed out before it.
        long penalty = limit.bucket().consumeIgnoringRateLimits(1);
        if (penalty <= 0) {
            return Duration.ZERO;
        }
        turns.put(key, now + penalty);
        return Duration.ofNanos(penalty);
    }

    /** The limit on {@code endpoint} in words, e.g. {@code my-bucket (50 pokes/s)}, for messages. */
    public String describe(String endpoint) {
        Limit limit = limits.get(endpoint);
        if (limit == null) {
            return endpoint;
        }
        double perMinute = limit.perSecond() * 60;
        boolean inMinutes = limit.perSecond() < 1 && Math.abs(perMinute - Math.rint(perMinute)) < 1e-9;
        return endpoint + " (" + (inMinutes ? number(perMinute) + " pokes/min" : number(limit.perSecond()) + " pokes/s")
                + ")";
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value)
                .setScale(3, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
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
