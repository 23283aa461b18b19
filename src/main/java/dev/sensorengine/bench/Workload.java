package dev.sensorengine.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Runs {@code calls} calls of one kind from {@code concurrency} threads, timing each, with progress on stderr
 * (phase, done/total, rate, ETA) once a second.
 */
final class Workload {

    /** When the benchmark began, for the elapsed time on every progress line. */
    private static final long BEGAN = System.nanoTime();

    private Workload() {}

    /** Ends every sensor of {@code made} that was made (a failed create leaves a gap), untimed. */
    static void discard(String phase, BenchSide side, BenchSide.BenchSensor[] made, int concurrency)
            throws InterruptedException {
        run(phase, made.length, concurrency, i -> {
            if (made[i] != null) {
                side.discard(made[i]);
            }
        });
    }

    static Latencies.Summary run(String phase, int calls, int concurrency, IntConsumer call)
            throws InterruptedException {
        Latencies latencies = new Latencies(calls);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(concurrency);
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            threads.execute(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
                        int index = i;
                        latencies.time(() -> call.accept(index));
                        done.incrementAndGet();
                    }
                } finally {
                    finished.countDown();
                }
            });
        }
        while (!finished.await(1, TimeUnit.SECONDS)) {
            progress(phase, done.get(), calls, System.nanoTime() - start);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        threads.shutdown();
        progress(phase, calls, calls, System.nanoTime() - start);
        System.err.println();
        Latencies.Summary summary = latencies.summary(seconds);
        if (summary.errors() > 0) {
            System.err.printf("%s: %d failed: %s%n", phase, summary.errors(), summary.failuresText());
        }
        return summary;
    }

    /** Waits out {@code duration} (settling, a measuring window), showing the countdown. */
    static void pause(String phase, Duration duration) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long total = Math.max(1, duration.toSeconds());
        for (long now = start; now < end; now = System.nanoTime()) {
            progress(phase, (int) ((now - start) / 1_000_000_000L), (int) total, now - start);
            Thread.sleep(Math.min(1000, Math.max(1, (end - now) / 1_000_000)));
        }
        progress(phase, (int) total, (int) total, end - start);
        System.err.println();
    }

    /**
     * Waits until {@code count} reaches {@code target} (e.g. every new sensor's first poke has reached the watched
     * system), at most {@code limit}, showing progress; returns whether it did.
     */
    static boolean awaitCount(String phase, LongSupplier count, long target, Duration limit)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + limit.toNanos();
        long seen = count.getAsLong();
        while (seen < target && System.nanoTime() < end) {
            progress(phase, (int) Math.min(seen, target), (int) target, System.nanoTime() - start);
            Thread.sleep(100);
            seen = count.getAsLong();
        }
        progress(phase, (int) Math.min(seen, target), (int) target, System.nanoTime() - start);
        System.err.println();
        return seen >= target;
    }

    /** Seconds since the benchmark began (since this class was first used, at its start). */
    static long elapsedSeconds() {
        return (System.nanoTime() - BEGAN) / 1_000_000_000L;
    }

    static void progress(String phase, int done, int total, long elapsedNanos) {
        double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
        double rate = done / seconds;
        long eta = rate > 0 ? Math.round((total - done) / rate) : -1;
        System.err.printf(
                "\r%-32s %7d/%-7d %8.0f/s  ETA %-8s [at %ds]   ",
                phase,
                done,
                total,
                rate,
                eta < 0 ? "?" : Duration.ofSeconds(eta).toString().substring(2).toLowerCase(Locale.ROOT),
                elapsedSeconds());
        System.err.flush();
    }
}
