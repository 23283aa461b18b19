package dev.sensorengine.workflow.poke;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.Sensor;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.workflow.SensorNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one poke of a sensor as the worker should: resolved by name, within the target's rate limit, and shared
 * with concurrent pokes of the same sensor for the same inputs and configuration. Many Flyte runs often wait for
 * the same thing (one S3 key); within one worker they make one external call per window, and
 * {@code sensor_pokes_shared_total} counts the calls saved.
 */
public final class PokeRunner {

    private final SensorRegistry sensors;
    private final SensorEnvironment environment;
    private final RateLimits rateLimits;
    private final MeterRegistry metrics;
    private final AsyncCache<String, Outcome> recent;

    /** @param shareWindow how long a poke's result is reused; zero shares only pokes in flight together */
    public PokeRunner(
            SensorRegistry sensors,
            SensorEnvironment environment,
            RateLimits rateLimits,
            Duration shareWindow,
            MeterRegistry metrics) {
        this(sensors, environment, rateLimits, shareWindow, metrics, Ticker.systemTicker());
    }

    PokeRunner(
            SensorRegistry sensors,
            SensorEnvironment environment,
            RateLimits rateLimits,
            Duration shareWindow,
            MeterRegistry metrics,
            Ticker ticker) {
        this.sensors = sensors;
        this.environment = environment;
        this.rateLimits = rateLimits;
        this.metrics = metrics;
        // An entry lives from the end of its poke for the window; a poke still in flight is never evicted, and a
        // failed one is dropped at once (errors are shared only among pokes in flight together).
        this.recent = Caffeine.newBuilder()
                .expireAfterWrite(shareWindow)
                .maximumSize(100_000)
                .ticker(ticker)
                .buildAsync();
    }

    /** The names of the sensors this runner pokes, for metric labels. */
    public SensorNames names() {
        return new SensorNames(sensors.names());
    }

    /**
     * Pokes {@code module.name} once, or shares the same poke already under way (or made within the window). Only a
     * poke that calls its target needs room in the target's rate limit; one that finds none is not made.
     *
     * @param pokeId names this poke across its retries (workflow, run and activity), for its rate-limit turn
     * @throws SensorConfigurationException when the task is wrong
     * @throws PokeDeferredException when the target's rate limit has no room for the poke now
     * @throws Exception a transient error of the poke
     */
    public PokeResult poke(String pokeId, String module, String name, PokeRequest request) throws Exception {
        return poke(pokeId, module, name, request, false);
    }

    /**
     * Like {@link #poke(String, String, String, PokeRequest)}; a {@code fresh} poke (a wake poke: an event says the
     * answer just changed) shares nothing made before it, neither a result within the window nor a poke in flight,
     * and its result replaces the shared one. It still needs room in the target's rate limit.
     */
    public PokeResult poke(String pokeId, String module, String name, PokeRequest request, boolean fresh)
            throws Exception {
        Sensor sensor = sensors.resolve(module, name);
        String key = key(sensor, request);
        CompletableFuture<Outcome> existing = fresh ? null : recent.getIfPresent(key);
        if (existing != null) {
            return shared(sensor, existing);
        }
        Optional<String> endpoint = sensor.endpoint(request);
        Duration wait = rateLimits.admit(endpoint, pokeId);
        if (!wait.isZero()) {
            String target = endpoint.orElseThrow();
            metrics.counter("sensor.pokes.rate.limited", "endpoint", target).increment();
            throw new PokeDeferredException(
                    "poke deferred " + PokeRunner.describe(wait) + " by the rate limit of "
                            + rateLimits.describe(target),
                    wait);
        }
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        // The poke runs outside the cache's own locks: whoever inserts the future makes the call, the rest wait on it.
        if (fresh) {
            recent.asMap().put(key, mine);
        } else {
            existing = recent.asMap().putIfAbsent(key, mine);
            if (existing != null) {
                return shared(sensor, existing);
            }
        }
        Outcome outcome;
        try {
            outcome = new Outcome(sensor.poke(request, environment), null);
        } catch (Exception | Error e) {
            // Errors are shared only among pokes in flight together: the next poke asks again.
            recent.asMap().remove(key, mine);
            outcome = new Outcome(null, e);
        }
        mine.complete(outcome);
        return outcome.get();
    }

    private PokeResult shared(Sensor sensor, CompletableFuture<Outcome> poke) throws Exception {
        metrics.counter("sensor.pokes.shared", "sensor", sensor.getClass().getSimpleName())
                .increment();
        return poke.join().get();
    }

    private static String describe(Duration wait) {
        long millis = Math.max(1, wait.toMillis());
        return millis < 1000
                ? millis + "ms"
                : BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }

    /**
     * A finished poke: its result or what it threw. The cache's futures always complete normally, because Caffeine
     * logs every future of an async cache that fails, with its stack trace: once per failed poke, a poke error being
     * a normal event for a sensor.
     */
    private record Outcome(PokeResult result, Throwable error) {
        PokeResult get() throws Exception {
            if (error instanceof Exception exception) {
                throw exception;
            }
            if (error instanceof Error fatal) {
                throw fatal;
            }
            return result;
        }
    }

    /** Same sensor class, same inputs, same configuration: the same external question. */
    private static String key(Sensor sensor, PokeRequest request) {
        return sensor.getClass().getName() + "|" + new TreeMap<>(request.inputs()) + "|" + sorted(request.config());
    }

    private static Map<String, Object> sorted(Map<String, Object> config) {
        return new TreeMap<>(config);
    }
}
