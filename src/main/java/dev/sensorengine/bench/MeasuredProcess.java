package dev.sensorengine.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One OS process whose cost the benchmark reads from {@code /proc}: CPU time (user and system, every thread) from
 * {@code /proc/PID/stat}, resident memory from {@code /proc/PID/status}, and for a JVM its live heap (after a full
 * collection, through {@code jcmd}). The benchmark's own process is one too, in the in-process shape.
 *
 * @param name what it is, e.g. {@code temporal}, {@code api}, {@code worker}, {@code flytekit}
 * @param pid its process id
 * @param jvm whether it is a JVM, whose live heap can be read
 */
record MeasuredProcess(String name, long pid, boolean jvm) {

    /**
     * Clock ticks per second of the times in {@code /proc/PID/stat}: USER_HZ, which Linux fixes at 100 for user space
     * on every architecture it runs on (what {@code getconf CLK_TCK} prints).
     */
    private static final double TICKS_PER_SECOND = 100;

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    static MeasuredProcess self(String name) {
        return new MeasuredProcess(name, ProcessHandle.current().pid(), true);
    }

    boolean isSelf() {
        return pid == ProcessHandle.current().pid();
    }

    boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** CPU seconds the process has used so far (user + system, all threads); NaN once it is gone. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces; fields count on from its end.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set size in MiB; -1 when unreadable. */
    long rssMib() {
        long kib = rssKib();
        return kib < 0 ? -1 : kib / 1024;
    }

    /** Resident set size in KiB, as {@code /proc} counts it; -1 when unreadable. */
    long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Heap in use after a full collection: what the JVM holds, not the garbage it has not collected yet. For another
     * JVM, {@code jcmd PID GC.run} and then {@code GC.heap_info}; -1 for a process that is no JVM or cannot be asked.
     */
    long liveHeapMib() {
        if (!jvm) {
            return -1;
        }
        if (isSelf()) {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        return jcmd(jcmd, "GC.run")
                .flatMap(ignored -> jcmd(jcmd, "GC.heap_info"))
                .map(HEAP_USED::matcher)
                .filter(Matcher::find)
                .map(m -> Long.parseLong(m.group(1)) / 1024)
                .orElse(-1L);
    }

    private Optional<String> jcmd(Path jcmd, String command) {
        try {
            Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                    .redirectErrorStream(true)
                    .start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(new String(output)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
