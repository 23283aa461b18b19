package dev.sensorengine.bench;

import dev.sensorengine.bench.BenchSide.BenchSensor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sensors waiting as propeller keeps them (issue 12): N sensors of one side, each read with one GetTask every period
 * (propeller's cache resync, 30 s by default, so N/30 calls per second), over a window. Counted at the watched system:
 * its operations per sensor-hour (the service's worker pokes at the sensor's interval, flytekit pokes in every
 * GetTask). Measured: GetTask latency at that rate, the CPU and resident memory of the side's processes.
 */
final class PropellerPhase {

    private final WatchedServer watched;
    private final int concurrency;

    PropellerPhase(WatchedServer watched, int concurrency) {
        this.watched = watched;
        this.concurrency = concurrency;
    }

    /**
     * One side at one poke interval.
     *
     * @param interval the sensors' poke interval, e.g. {@code 30s}; null for flytekit, which pokes when asked
     * @param callsPerSecond the GetTask rate asked for: sensors / period
     * @param achievedPerSecond the rate sent
     * @param get latencies of the GetTask calls (from the moment each was sent)
     * @param operations requests the watched system served for this side's sensors in the window
     * @param operationsPerSensorHour the same per sensor and hour at propeller's rhythm: for the service, pokes per
     *     sensor over the window's length (its worker pokes on its own clock); for flytekit, whose only pokes are
     *     those of GetTask, operations per GetTask times the GetTasks of a sensor-hour (3600 s / period), so a side
     *     that fell behind the rhythm is still judged at it
     * @param cpuSeconds CPU per process over the window
     * @param cpuMillisPerGetTask every process of the side together, per GetTask (its pokes and idle work included)
     * @param rssBeforeKib resident memory per process before the window; after it, rssAfterKib
     */
    record Run(
            String side,
            String interval,
            int sensors,
            long createErrors,
            double periodSeconds,
            double seconds,
            double callsPerSecond,
            double achievedPerSecond,
            Latencies.Summary get,
            long operations,
            double operationsPerSensorHour,
            Map<String, Double> cpuSeconds,
            double cpuCores,
            double cpuMillisPerGetTask,
            Map<String, Long> rssBeforeKib,
            Map<String, Long> rssAfterKib) {

        /** How much the processes' resident memory grew per GetTask over the window, in KiB. */
        double rssGrowthKibPerGetTask() {
            long before =
                    rssBeforeKib.values().stream().mapToLong(Long::longValue).sum();
            long after =
                    rssAfterKib.values().stream().mapToLong(Long::longValue).sum();
            return get.calls() == 0 ? 0 : (double) (after - before) / get.calls();
        }

        /** Resident memory per process after the window, in MiB. */
        Map<String, Long> rssAfterMib() {
            Map<String, Long> mib = new LinkedHashMap<>();
            rssAfterKib.forEach((process, kib) -> mib.put(process, kib / 1024));
            return mib;
        }
    }

    /**
     * @param window how long propeller's rhythm is kept; a whole number of periods and of intervals
     */
    Run run(
            BenchSide side,
            Optional<Duration> interval,
            String group,
            int sensors,
            Duration period,
            Duration window,
            List<MeasuredProcess> processes)
            throws InterruptedException {
        String label =
                side.name() + interval.map(i -> " @" + BenchCommand.text(i)).orElse("");
        BenchSensor[] made = new BenchSensor[sensors];
        Latencies.Summary created = Workload.run(
                "propeller: make " + label,
                sensors,
                concurrency,
                i -> made[i] = side.create(group, i, watched.url(group, Integer.toString(i))));
        long createErrors = created.errors();
        if (interval.isPresent()) {
            // Each sensor pokes once when it starts: once those have all arrived, the worker has caught up.
            Workload.awaitCount(
                    "propeller: first pokes " + label,
                    () -> watched.requests(group),
                    created.calls(),
                    interval.get().plusMinutes(2));
        }
        Map<String, Long> rssBefore = rss(processes);
        long operationsBefore = watched.requests(group);
        Cpu.Meter meter = Cpu.start(processes);
        int calls = (int) Math.max(1, Math.round((double) sensors * window.toMillis() / period.toMillis()));
        long spacing = period.toNanos() / sensors;
        Latencies latencies = new Latencies(calls);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(concurrency);
        ExecutorService callers = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            callers.execute(() -> {
                try {
                    for (int k = next.getAndIncrement(); k < calls; k = next.getAndIncrement()) {
                        // Open loop: call k is due at its slot, however long earlier calls took.
                        LockSupport.parkNanos(start + k * spacing - System.nanoTime());
                        BenchSensor sensor = made[k % sensors];
                        latencies.time(() -> side.observe(sensor));
                        done.incrementAndGet();
                    }
                } finally {
                    finished.countDown();
                }
            });
        }
        while (!finished.await(1, TimeUnit.SECONDS)) {
            Workload.progress("propeller: " + label, done.get(), calls, System.nanoTime() - start);
        }
        // The window is the rhythm's length, or longer when the side fell behind it.
        long end = Math.max(System.nanoTime(), start + window.toNanos());
        LockSupport.parkNanos(end - System.nanoTime());
        double seconds = (System.nanoTime() - start) / 1e9;
        callers.shutdown();
        System.err.println();
        Cpu cpu = meter.stop();
        long operations = watched.requests(group) - operationsBefore;
        Map<String, Long> rssAfter = rss(processes);
        Workload.discard("clear " + label, side, made, concurrency);
        return new Run(
                side.name(),
                interval.map(BenchCommand::text).orElse(null),
                sensors,
                createErrors,
                period.toMillis() / 1000.0,
                seconds,
                sensors * 1000.0 / period.toMillis(),
                calls / seconds,
                latencies.summary(seconds),
                operations,
                interval.isPresent()
                        ? operations / (double) sensors / (seconds / 3600)
                        : (double) operations
                                / Math.max(1, latencies.summary(seconds).calls())
                                * (3600_000.0 / period.toMillis()),
                cpu.seconds(),
                cpu.cores(),
                cpu.millisPer(calls),
                rssBefore,
                rssAfter);
    }

    private static Map<String, Long> rss(List<MeasuredProcess> processes) {
        Map<String, Long> rss = new LinkedHashMap<>();
        processes.forEach(p -> rss.put(p.name(), p.rssKib()));
        return rss;
    }
}
