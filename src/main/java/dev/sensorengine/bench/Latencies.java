package dev.sensorengine.bench;

import java.util.Arrays;

/** Call latencies of one measured run, kept whole (runs are bounded) so percentiles are exact. */
final class Latencies {

    private final long[] nanos;
    private int count;

    Latencies(int capacity) {
        this.nanos = new long[capacity];
    }

    synchronized void record(long elapsedNanos) {
        if (count < nanos.length) {
            nanos[count++] = elapsedNanos;
        }
    }

    /** Summary in milliseconds. */
    synchronized Summary summary(double seconds, long errors) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new Summary(
                count,
                errors,
                count / seconds,
                millis(sorted, 0.50),
                millis(sorted, 0.99),
                millis(sorted, 0.999),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    private static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    /** Throughput in calls per second and latency percentiles in milliseconds. */
    record Summary(long calls, long errors, double perSecond, double p50, double p99, double p999, double max) {}
}
