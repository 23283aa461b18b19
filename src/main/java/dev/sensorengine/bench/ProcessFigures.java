package dev.sensorengine.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's CPU time, live heap and resident memory, as the capacity and load phases report them. */
final class ProcessFigures {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessFigures() {}

    /** CPU time of the whole process (every thread: service, embedded Temporal, load), in nanoseconds. */
    static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Heap in use after a full collection: what the process holds, not the garbage it has not yet collected. */
    static long liveHeapMib() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    /** Resident set size from /proc; -1 where there is no /proc. */
    static long rssMib() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
