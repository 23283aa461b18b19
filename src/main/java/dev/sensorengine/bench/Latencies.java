package dev.sensorengine.bench;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Call latencies of one measured run, kept whole (runs are bounded) so percentiles are exact, and its failed calls
 * by kind: the gRPC status code the side answered with, or the exception where there was none.
 */
final class Latencies {

    private final long[] nanos;
    private int count;
    private final Map<String, Failures> failures = new TreeMap<>();

    Latencies(int capacity) {
        this.nanos = new long[capacity];
    }

    synchronized void record(long elapsedNanos) {
        if (count < nanos.length) {
            nanos[count++] = elapsedNanos;
        }
    }

    /** Runs one call from now, recording how long it took, or counting its failure. */
    void time(Runnable call) {
        long begin = System.nanoTime();
        try {
            call.run();
            record(System.nanoTime() - begin);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Counts a failed call under its kind, keeping the first message of each kind. */
    synchronized void fail(Throwable failure) {
        Throwable cause = statusCause(failure);
        String kind = cause instanceof StatusRuntimeException || cause instanceof StatusException
                ? Status.fromThrowable(cause).getCode().name()
                : failure.getClass().getSimpleName();
        Failures seen = failures.get(kind);
        failures.put(
                kind,
                seen == null
                        ? new Failures(1, oneLine(String.valueOf(cause.getMessage())))
                        : new Failures(seen.count() + 1, seen.first()));
    }

    /** Summary in milliseconds. */
    synchronized Summary summary(double seconds) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new Summary(
                count,
                failures.values().stream().mapToLong(Failures::count).sum(),
                Map.copyOf(failures),
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

    /** A message fit for one table cell: one line, at most 300 characters. */
    private static String oneLine(String message) {
        String line = message.replaceAll("\\s+", " ").strip();
        return line.length() <= 300 ? line : line.substring(0, 299) + "…";
    }

    /** The status in the failure's causes (a Temporal client wraps what the server answered), or the failure. */
    private static Throwable statusCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException || t instanceof StatusException) {
                return t;
            }
        }
        return failure;
    }

    /**
     * Throughput in calls per second and latency percentiles in milliseconds of the calls that succeeded.
     *
     * @param errors failed calls
     * @param failures those by kind (a status code such as {@code UNAVAILABLE}, or an exception's class)
     */
    record Summary(
            long calls,
            long errors,
            Map<String, Failures> failures,
            double perSecond,
            double p50,
            double p99,
            double p999,
            double max) {

        /** The failures as one line, as {@link #text} writes them. */
        String failuresText() {
            return text(failures);
        }
    }

    /** Failures by kind as one line: {@code UNAVAILABLE ×3 (first: …)}; empty when there were none. */
    static String text(Map<String, Failures> failures) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(failures)
                .forEach((kind, seen) -> text.append(text.isEmpty() ? "" : "; ")
                        .append(kind)
                        .append(" ×")
                        .append(seen.count())
                        .append(" (first: ")
                        .append(seen.first())
                        .append(')'));
        return text.toString();
    }

    /** Failed calls of one kind and the message of the first. */
    record Failures(long count, String first) {}
}
