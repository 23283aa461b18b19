package dev.sensorengine.bench;

import dev.sensorengine.bench.BenchSide.BenchSensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * N live sensors of one side waiting for files that do not exist: after a settling interval, the process's CPU,
 * pokes and memory over a window (capacity); then every file appears at once and each sensor is read right after
 * its next poke until it reports success (detection).
 */
final class CapacityPhase {

    /** How long after a sensor's announced next poke it is read, and how soon it is read again when undecided. */
    private static final Duration RECHECK = Duration.ofMillis(250);

    private final BenchSide side;
    private final Path dir;
    private final int sensors;
    private final int concurrency;
    private final Duration interval;
    private final LongSupplier pokes;

    /**
     * @param pokes the service's count of pokes so far, from its metrics
     */
    CapacityPhase(BenchSide side, Path dir, int sensors, int concurrency, Duration interval, LongSupplier pokes) {
        this.side = side;
        this.dir = dir;
        this.sensors = sensors;
        this.concurrency = concurrency;
        this.interval = interval;
        this.pokes = pokes;
    }

    /** Steady state of N live sensors. */
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
            long liveHeapMib,
            long rssMib) {}

    /** Seconds from the condition turning true to the sensor reporting success, over every sensor. */
    record Detection(String side, int sensors, int detected, long errors, double p50, double p99, double max) {}

    /** The live sensors of this side, created before anything is measured. */
    private BenchSensor[] population;

    private long createErrors;

    void populate() throws InterruptedException {
        population = new BenchSensor[sensors];
        var created = Workload.run(
                "populate " + side.name(), sensors, concurrency, i -> population[i] = side.create("cap", i, file(i)));
        createErrors = created.errors();
        Workload.pause("settle " + side.name(), interval);
    }

    Capacity measure(Duration window) throws InterruptedException {
        long cpu = ProcessFigures.cpuNanos();
        long poked = pokes.getAsLong();
        long start = System.nanoTime();
        Workload.pause("capacity " + side.name(), window);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (ProcessFigures.cpuNanos() - cpu) / 1e9;
        long pokesInWindow = pokes.getAsLong() - poked;
        return new Capacity(
                side.name(),
                sensors,
                createErrors,
                seconds,
                cpuSeconds / seconds,
                pokesInWindow,
                pokesInWindow / seconds,
                sensors / (interval.toMillis() / 1000.0),
                pokesInWindow == 0 ? 0 : cpuSeconds * 1000 / pokesInWindow,
                ProcessFigures.liveHeapMib(),
                ProcessFigures.rssMib());
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
            try {
                Files.createFile(file(i));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            flipped[i] = System.currentTimeMillis();
            due.add(new Check(i, after(Optional.ofNullable(next[i]))));
        }
        int expected = due.size();
        Latencies latencies = new Latencies(expected);
        AtomicInteger detected = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        long giveUp = System.currentTimeMillis()
                + interval.multipliedBy(2).plusMinutes(1).toMillis();
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
                            } else {
                                due.add(new Check(check.index(), after(seen.nextPoke())));
                            }
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
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
        var summary = latencies.summary(1, errors.get());
        return new Detection(
                side.name(),
                sensors,
                detected.get(),
                errors.get(),
                summary.p50() / 1000,
                summary.p99() / 1000,
                summary.max() / 1000);
    }

    /** Ends sensors that did not see their file in time (or were never read), so they stop poking. */
    void discardUndetected() throws InterruptedException {
        Workload.run("clear " + side.name(), sensors, concurrency, i -> {
            if (live(i) && !Files.exists(file(i))) {
                side.discard(population[i]);
            }
        });
    }

    private boolean live(int i) {
        return population[i] != null;
    }

    private Path file(int i) {
        return dir.resolve(side.name() + "-" + i);
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
