package dev.sensorengine.bench;

import dev.sensorengine.bench.BenchSide.BenchSensor;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;

/**
 * N live sensors of one side waiting for objects of the watched system that do not exist: after a settling interval,
 * the CPU of the processes that poke (the worker and Temporal), the pokes counted at the watched system and memory
 * over a window (capacity); then every object appears at once and each sensor is read right after its next poke until
 * it reports success (detection).
 */
final class CapacityPhase {

    /** How long after a sensor's announced next poke it is read, and how soon it is read again when undecided. */
    private static final Duration RECHECK = Duration.ofMillis(250);

    private final BenchSide side;
    private final WatchedServer watched;
    private final String group;
    private final int sensors;
    private final int concurrency;
    private final Duration interval;
    private final Supplier<List<MeasuredProcess>> pokers;
    private final Supplier<Optional<MeasuredProcess>> worker;

    /**
     * @param group the watched system's group of this side's objects, where its pokes are counted
     * @param pokers the processes whose CPU pokes cost (the worker and Temporal)
     * @param worker the worker's process, for its heap and resident memory
     */
    CapacityPhase(
            BenchSide side,
            WatchedServer watched,
            String group,
            int sensors,
            int concurrency,
            Duration interval,
            Supplier<List<MeasuredProcess>> pokers,
            Supplier<Optional<MeasuredProcess>> worker) {
        this.side = side;
        this.watched = watched;
        this.group = group;
        this.sensors = sensors;
        this.concurrency = concurrency;
        this.interval = interval;
        this.pokers = pokers;
        this.worker = worker;
    }

    /**
     * Steady state of N live sensors.
     *
     * @param cpuSecondsPerSecond cores busy, every poking process together
     * @param cpuMillisPerPoke CPU of every poking process together per poke
     * @param cpuMillisPerPokeByProcess the same, per process (the worker, Temporal)
     * @param liveHeapMib the worker's heap after a full collection
     * @param rssMib resident memory per process
     */
    record Capacity(
            String side,
            int sensors,
            long createErrors,
            double seconds,
            double cpuSecondsPerSecond,
            long pokes,
            double pokesPerSecond,
            double scheduledPokesPerSecond,
            double cpuMillisPerPoke,
            Map<String, Double> cpuMillisPerPokeByProcess,
            long liveHeapMib,
            Map<String, Long> rssMib) {}

    /** Seconds from the condition turning true to the sensor reporting success, over every sensor. */
    record Detection(
            String side,
            int sensors,
            int detected,
            long errors,
            double p50,
            double p99,
            double max,
            Map<String, Latencies.Failures> failures) {}

    /** The live sensors of this side, created before anything is measured. */
    private BenchSensor[] population;

    private long createErrors;

    /** Which sensors saw their object appear; 1 when seen. */
    private AtomicIntegerArray sawObject = new AtomicIntegerArray(0);

    void populate() throws InterruptedException {
        population = new BenchSensor[sensors];
        sawObject = new AtomicIntegerArray(sensors);
        long before = watched.requests(group);
        var created = Workload.run(
                "populate " + side.name(), sensors, concurrency, i -> population[i] = side.create(group, i, url(i)));
        createErrors = created.errors();
        // Each sensor pokes once when it starts: once those have all arrived, the worker has caught up.
        Workload.awaitCount(
                "first pokes " + side.name(),
                () -> watched.requests(group) - before,
                created.calls(),
                interval.plusMinutes(2));
        Workload.pause("settle " + side.name(), interval);
    }

    Capacity measure(Duration window) throws InterruptedException {
        List<MeasuredProcess> processes = pokers.get();
        Cpu.Meter meter = Cpu.start(processes);
        long poked = watched.requests(group);
        long start = System.nanoTime();
        Workload.pause("capacity " + side.name(), window);
        double seconds = (System.nanoTime() - start) / 1e9;
        Cpu cpu = meter.stop();
        long pokesInWindow = watched.requests(group) - poked;
        Map<String, Double> perProcess = new LinkedHashMap<>();
        cpu.seconds().keySet().forEach(name -> perProcess.put(name, cpu.millisPer(name, pokesInWindow)));
        Map<String, Long> rss = new LinkedHashMap<>();
        processes.forEach(p -> rss.put(p.name(), p.rssMib()));
        return new Capacity(
                side.name(),
                sensors,
                createErrors,
                seconds,
                cpu.cores(),
                pokesInWindow,
                pokesInWindow / seconds,
                sensors / (interval.toMillis() / 1000.0),
                cpu.millisPer(pokesInWindow),
                perProcess,
                worker.get().map(MeasuredProcess::liveHeapMib).orElse(-1L),
                rss);
    }

    Detection detect() throws InterruptedException {
        // Where each sensor stands before the flip, so it is read just after its next poke instead of in sweeps.
        Instant[] next = new Instant[sensors];
        Workload.run(
                "detection: where " + side.name(),
                sensors,
                concurrency,
                i -> next[i] = live(i) ? side.observe(population[i]).nextPoke().orElse(null) : null);
        long[] flipped = new long[sensors];
        DelayQueue<Check> due = new DelayQueue<>();
        for (int i = 0; i < sensors; i++) {
            if (!live(i)) {
                continue;
            }
            watched.appear(url(i));
            flipped[i] = System.currentTimeMillis();
            due.add(new Check(i, after(Optional.ofNullable(next[i]))));
        }
        int expected = due.size();
        Latencies latencies = new Latencies(expected);
        AtomicInteger detected = new AtomicInteger();
        // Two intervals and a minute, and more for many sensors: a Temporal that cannot poke them all within an
        // interval (the SQLite dev server on two cores) takes longer to get round them, and that shows as a long
        // detection time rather than as sensors that never saw their object.
        long giveUp = System.currentTimeMillis()
                + interval.multipliedBy(2).plusMinutes(1).toMillis()
                + expected * 50L;
        ExecutorService readers = Executors.newFixedThreadPool(concurrency);
        for (int t = 0; t < concurrency; t++) {
            readers.execute(() -> {
                try {
                    while (detected.get() < expected && System.currentTimeMillis() < giveUp) {
                        Check check = due.poll(200, TimeUnit.MILLISECONDS);
                        if (check == null) {
                            continue;
                        }
                        try {
                            var seen = side.observe(population[check.index()]);
                            if (seen.succeeded()) {
                                latencies.record((System.currentTimeMillis() - flipped[check.index()]) * 1_000_000);
                                detected.incrementAndGet();
                                sawObject.set(check.index(), 1);
                            } else {
                                due.add(new Check(check.index(), after(seen.nextPoke())));
                            }
                        } catch (RuntimeException e) {
                            latencies.fail(e);
                            due.add(new Check(check.index(), after(Optional.empty())));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        readers.shutdown();
        long start = System.nanoTime();
        while (!readers.awaitTermination(1, TimeUnit.SECONDS)) {
            Workload.progress("detection " + side.name(), detected.get(), expected, System.nanoTime() - start);
        }
        System.err.println();
        var summary = latencies.summary(1);
        return new Detection(
                side.name(),
                sensors,
                detected.get(),
                summary.errors(),
                summary.p50() / 1000,
                summary.p99() / 1000,
                summary.max() / 1000,
                summary.failures());
    }

    /** Ends the sensors that did not see their object (all of them, when detection did not run). */
    void discardUndetected() throws InterruptedException {
        Workload.run("clear " + side.name(), sensors, concurrency, i -> {
            if (live(i) && sawObject.get(i) == 0) {
                side.discard(population[i]);
            }
        });
    }

    private boolean live(int i) {
        return population[i] != null;
    }

    private String url(int i) {
        return watched.url(group, Integer.toString(i));
    }

    private static long after(Optional<Instant> nextPoke) {
        long soon = System.currentTimeMillis() + RECHECK.toMillis();
        return nextPoke.map(t -> Math.max(t.toEpochMilli() + RECHECK.toMillis(), soon))
                .orElse(soon);
    }

    /** A read of sensor {@code index} due at {@code dueMillis} (wall clock, as next-poke times are). */
    private record Check(int index, long dueMillis) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueMillis - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueMillis, ((Check) other).dueMillis);
        }
    }
}
