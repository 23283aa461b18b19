package dev.sensorengine.bench;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the benchmark starts (a service role, flytekit's connector), its output in a log file, ready once its
 * gRPC health answers SERVING on 127.0.0.1. Stopped with SIGTERM, then SIGKILL after a grace.
 */
final class ChildProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Path log;
    private final int grpcPort;
    private final boolean jvm;

    private ChildProcess(String name, List<String> command, Process process, Path log, int grpcPort, boolean jvm) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.log = log;
        this.grpcPort = grpcPort;
        this.jvm = jvm;
    }

    /**
     * Starts {@code command} and waits until gRPC health on {@code grpcPort} says SERVING.
     *
     * @throws IOException naming the log, when it exits or does not answer within {@code startTimeout}
     */
    static ChildProcess start(
            String name,
            List<String> command,
            Map<String, String> environment,
            Path workDir,
            int grpcPort,
            boolean jvm,
            Duration startTimeout)
            throws IOException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        ChildProcess child = new ChildProcess(name, command, process, log, grpcPort, jvm);
        try {
            child.awaitServing(startTimeout);
        } catch (IOException | RuntimeException e) {
            child.close();
            throw e;
        }
        return child;
    }

    String target() {
        return "127.0.0.1:" + grpcPort;
    }

    MeasuredProcess measured() {
        return new MeasuredProcess(name, process.pid(), jvm);
    }

    List<String> command() {
        return command;
    }

    Path log() {
        return log;
    }

    private void awaitServing(Duration timeout) throws IOException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort)
                .usePlaintext()
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException(name + " exited with code " + process.exitValue() + " at start-up; its log ("
                            + log + "):\n" + tail());
                }
                // Refused connections put the channel in reconnect backoff (1 s, growing); ask again at once.
                channel.resetConnectBackoff();
                try {
                    if (HealthGrpc.newBlockingStub(channel)
                                    .withDeadlineAfter(1, TimeUnit.SECONDS)
                                    .check(HealthCheckRequest.getDefaultInstance())
                                    .getStatus()
                            == ServingStatus.SERVING) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // Not listening yet.
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(name + " did not serve on " + target() + " within " + timeout + "; its log ("
                            + log + "):\n" + tail());
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + name + " started", e);
        } finally {
            channel.shutdownNow();
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** SIGTERM, then SIGKILL after the grace; waits for the process to end. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A TCP port free on every address (flytekit's connector binds {@code [::]}), for a child to bind. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
