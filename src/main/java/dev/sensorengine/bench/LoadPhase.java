package dev.sensorengine.bench;

import dev.sensorengine.bench.BenchSide.BenchSensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady mix of calls at a fixed rate, as a busy propeller sends them: of every ten calls two create a sensor,
 * seven read one and one deletes one. Reports each kind's latencies and errors, and memory before and after.
 */
final class LoadPhase {

    /** Sensors alive before the measured window, so reads and deletes have something to act on from the start. */
    private static final int SEED = 100;

    private final BenchSide side;
    private final Path dir;
    private final int concurrency;

    LoadPhase(BenchSide side, Path dir, int concurrency) {
        this.side = side;
        this.dir = dir;
        this.concurrency = concurrency;
    }

    /** What the window did. */
    record Load(
            double seconds,
            double ratePerSecond,
            double achievedPerSecond,
            Latencies.Summary create,
            Latencies.Summary get,
            Latencies.Summary delete,
            long heapBeforeMib,
            long heapAfterMib,
            long rssBeforeMib,
            long rssAfterMib) {
        long errors() {
            return create.errors() + get.errors() + delete.errors();
        }
    }

    Load run(double rate, Duration window) throws InterruptedException {
        List<BenchSensor> live = new ArrayList<>();
        AtomicInteger created = new AtomicInteger();
        Workload.run("load: seed", SEED, concurrency, i -> createOne(live, created));
        long heapBefore = ProcessFigures.liveHeapMib();
        long rssBefore = ProcessFigures.rssMib();
        int calls = (int) Math.ceil(rate * window.toMillis() / 1000.0);
        Latencies creates = new Latencies(calls);
        Latencies gets = new Latencies(calls);
        Latencies deletes = new Latencies(calls);
        AtomicLong createErrors = new AtomicLong();
        AtomicLong getErrors = new AtomicLong();
        AtomicLong deleteErrors = new AtomicLong();
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
                        long begin = System.nanoTime();
                        if (kind < 2) {
                            time(creates, createErrors, begin, () -> createOne(live, created));
                        } else if (kind < 9) {
                            time(gets, getErrors, begin, () -> side.observe(pick(live, false)));
                        } else {
                            time(deletes, deleteErrors, begin, () -> side.delete(pick(live, true)));
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
        return new Load(
                seconds,
                rate,
                calls / seconds,
                creates.summary(seconds, createErrors.get()),
                gets.summary(seconds, getErrors.get()),
                deletes.summary(seconds, deleteErrors.get()),
                heapBefore,
                ProcessFigures.liveHeapMib(),
                rssBefore,
                ProcessFigures.rssMib());
    }

    private static void time(Latencies latencies, AtomicLong errors, long begin, Runnable call) {
        try {
            call.run();
            latencies.record(System.nanoTime() - begin);
        } catch (RuntimeException e) {
            errors.incrementAndGet();
        }
    }

    private void createOne(List<BenchSensor> live, AtomicInteger created) {
        int n = created.getAndIncrement();
        BenchSensor sensor = side.create("load", n, dir.resolve("load-never-" + n));
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
