package dev.sensorengine.bench;

import dev.sensorengine.bench.BenchSide.BenchSensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady mix of calls at a fixed rate, as a busy propeller sends them: of every ten calls two create a sensor,
 * seven read one and one deletes one. Reports each kind's latencies and errors, and memory before and after.
 */
final class LoadPhase {

    /** Sensors alive before the measured window, so reads and deletes have something to act on from the start. */
    private static final int SEED = 100;

    private final BenchSide side;
    private final WatchedServer watched;
    private final String group;
    private final int concurrency;
    private final List<MeasuredProcess> processes;

    /** @param processes the service's processes, whose memory is read before and after */
    LoadPhase(BenchSide side, WatchedServer watched, String group, int concurrency, List<MeasuredProcess> processes) {
        this.side = side;
        this.watched = watched;
        this.group = group;
        this.concurrency = concurrency;
        this.processes = processes;
    }

    /**
     * What the window did.
     *
     * @param heapBeforeMib live heap of the JVM that serves the API, before the window; after it, heapAfterMib
     * @param rssBeforeMib resident memory per process before the window; after it, rssAfterMib
     */
    record Load(
            double seconds,
            double ratePerSecond,
            double achievedPerSecond,
            Latencies.Summary create,
            Latencies.Summary get,
            Latencies.Summary delete,
            long heapBeforeMib,
            long heapAfterMib,
            Map<String, Long> rssBeforeMib,
            Map<String, Long> rssAfterMib) {
        long errors() {
            return create.errors() + get.errors() + delete.errors();
        }
    }

    /** @param seed sensors alive before the window (at most {@link #SEED}) */
    Load run(double rate, Duration window, int seed) throws InterruptedException {
        List<BenchSensor> live = new ArrayList<>();
        AtomicInteger created = new AtomicInteger();
        Workload.run("load: seed", Math.min(SEED, seed), concurrency, i -> createOne(live, created));
        long heapBefore = heap();
        Map<String, Long> rssBefore = rss();
        int calls = (int) Math.ceil(rate * window.toMillis() / 1000.0);
        Latencies creates = new Latencies(calls);
        Latencies gets = new Latencies(calls);
        Latencies deletes = new Latencies(calls);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(concurrency);
        ExecutorService callers = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        long spacing = (long) (1e9 / rate);
        for (int t = 0; t < concurrency; t++) {
            callers.execute(() -> {
                try {
                    for (int k = next.getAndIncrement(); k < calls; k = next.getAndIncrement()) {
                        // Open loop: call k starts at its slot, however long earlier calls took.
                        long slot = start + k * spacing;
                        LockSupport.parkNanos(slot - System.nanoTime());
                        int kind = k % 10;
                        if (kind < 2) {
                            creates.time(() -> createOne(live, created));
                        } else if (kind < 9) {
                            gets.time(() -> side.observe(pick(live, false)));
                        } else {
                            deletes.time(() -> side.delete(pick(live, true)));
                        }
                        done.incrementAndGet();
                    }
                } finally {
                    finished.countDown();
                }
            });
        }
        while (!finished.await(1, TimeUnit.SECONDS)) {
            Workload.progress("load " + side.name(), done.get(), calls, System.nanoTime() - start);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        callers.shutdown();
        System.err.println();
        long heapAfter = heap();
        Map<String, Long> rssAfter = rss();
        List<BenchSensor> left = List.copyOf(live);
        Workload.run("clear load", left.size(), concurrency, i -> side.discard(left.get(i)));
        return new Load(
                seconds,
                rate,
                calls / seconds,
                creates.summary(seconds),
                gets.summary(seconds),
                deletes.summary(seconds),
                heapBefore,
                heapAfter,
                rssBefore,
                rssAfter);
    }

    private long heap() {
        return processes.isEmpty() ? -1 : processes.get(0).liveHeapMib();
    }

    private Map<String, Long> rss() {
        Map<String, Long> rss = new LinkedHashMap<>();
        processes.forEach(p -> rss.put(p.name(), p.rssMib()));
        return rss;
    }

    private void createOne(List<BenchSensor> live, AtomicInteger created) {
        int n = created.getAndIncrement();
        BenchSensor sensor = side.create(group, n, watched.url(group, Integer.toString(n)));
        synchronized (live) {
            live.add(sensor);
        }
    }

    private static BenchSensor pick(List<BenchSensor> live, boolean remove) {
        synchronized (live) {
            int i = ThreadLocalRandom.current().nextInt(live.size());
            return remove ? live.remove(i) : live.get(i);
        }
    }
}
