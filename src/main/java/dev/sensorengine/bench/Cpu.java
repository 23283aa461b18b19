package dev.sensorengine.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU seconds that a set of processes used over a stretch of the run, per process, read from {@code /proc} before and
 * after. A process named twice (the in-process shape, where one JVM is service, worker and Temporal) counts once.
 *
 * @param seconds CPU seconds per process, by name
 * @param wallSeconds how long the stretch lasted
 */
record Cpu(Map<String, Double> seconds, double wallSeconds) {

    static final Cpu NONE = new Cpu(Map.of(), 0);

    double total() {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Milliseconds of CPU of every process together per call; NaN when nothing was measured. */
    double millisPer(long calls) {
        return seconds.isEmpty() || calls == 0 ? Double.NaN : total() * 1000 / calls;
    }

    /** Milliseconds of CPU of one process per call; NaN when it was not measured. */
    double millisPer(String process, long calls) {
        Double s = seconds.get(process);
        return s == null || calls == 0 ? Double.NaN : s * 1000 / calls;
    }

    /** Cores busy on average: CPU seconds per second. */
    double cores() {
        return wallSeconds == 0 ? Double.NaN : total() / wallSeconds;
    }

    /** Starts measuring; {@link Meter#stop()} ends it. */
    static Meter start(List<MeasuredProcess> processes) {
        return new Meter(processes);
    }

    /** A measurement under way. */
    static final class Meter {
        private final List<MeasuredProcess> processes = new ArrayList<>();
        private final Map<String, Double> before = new LinkedHashMap<>();
        private final long started = System.nanoTime();

        private Meter(List<MeasuredProcess> all) {
            for (MeasuredProcess p : all) {
                if (processes.stream().noneMatch(q -> q.pid() == p.pid())) {
                    processes.add(p);
                    before.put(p.name(), p.cpuSeconds());
                }
            }
        }

        Cpu stop() {
            double wall = (System.nanoTime() - started) / 1e9;
            Map<String, Double> used = new LinkedHashMap<>();
            for (MeasuredProcess p : processes) {
                double delta = p.cpuSeconds() - before.get(p.name());
                if (!Double.isNaN(delta)) {
                    // Whole clock ticks (10 ms): no floating-point dust in the figures.
                    used.put(p.name(), Math.round(delta * 100) / 100.0);
                }
            }
            return new Cpu(used, wall);
        }
    }
}
