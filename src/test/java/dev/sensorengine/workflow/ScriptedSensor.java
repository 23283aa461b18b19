package dev.sensorengine.workflow;

import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.Sensor;
import dev.sensorengine.sensors.SensorEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A sensor whose pokes follow a script (one step per poke, the last step repeating) and which records the
 * server's time of each poke, so tests can check the intervals (in skipped time, on the time-skipping server).
 */
public final class ScriptedSensor implements Sensor {

    private final LongSupplier serverMillis;
    private final String name;

    /** A sensor named {@code Scripted}. */
    public ScriptedSensor(LongSupplier serverMillis) {
        this(serverMillis, "Scripted");
    }

    /** A sensor named {@code name} (and {@code tests.name}). */
    public ScriptedSensor(LongSupplier serverMillis, String name) {
        this.serverMillis = serverMillis;
        this.name = name;
    }

    /** One poke's behaviour: return a result or throw. */
    public interface Step {
        PokeResult run() throws Exception;
    }

    private final Queue<Step> script = new ConcurrentLinkedQueue<>();
    private volatile Step last = () -> PokeResult.notReady("not scripted");
    public final List<Instant> pokedAt = new CopyOnWriteArrayList<>();

    public ScriptedSensor then(int times, Step step) {
        for (int i = 0; i < times; i++) {
            script.add(step);
        }
        last = step;
        return this;
    }

    public static Step notReady() {
        return () -> PokeResult.notReady("target missing");
    }

    public static Step ready() {
        return () -> PokeResult.ready("target found", Map.of("key", "value"));
    }

    public static Step fails(Supplier<Exception> error) {
        return () -> {
            throw error.get();
        };
    }

    @Override
    public Set<String> names() {
        return Set.of("tests." + name, name);
    }

    @Override
    public PokeResult poke(PokeRequest request, SensorEnvironment environment) throws Exception {
        pokedAt.add(Instant.ofEpochMilli(serverMillis.getAsLong()));
        Step step = script.poll();
        return (step == null ? last : step).run();
    }

    /** Gaps between consecutive pokes, in seconds. */
    public List<Double> gapsSeconds() {
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < pokedAt.size(); i++) {
            gaps.add(Duration.between(pokedAt.get(i - 1), pokedAt.get(i)).toMillis() / 1000.0);
        }
        return gaps;
    }
}
