package dev.sensorengine.it;

import static org.awaitility.Awaitility.await;

import dev.sensorengine.testing.RealTemporal;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The built service jar running as a real OS process, as an operator starts it. */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    final int grpcPort;
    final ManagedChannel channel;

    private ServiceProcess(Process process, Path log, int grpcPort) {
        this.process = process;
        this.log = log;
        this.grpcPort = grpcPort;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort)
                .usePlaintext()
                .build();
    }

    /** Starts {@code java -cp sensor-engine.jar[:extra] ...Main serve ARGS} and waits until its health is SERVING. */
    static ServiceProcess start(List<Path> extraClassPath, Path log, String... serveArgs) throws IOException {
        return startOnPort(freePort(), extraClassPath, log, serveArgs);
    }

    /** Like {@link #start}, on a given gRPC port (a restarted replica keeps its address). */
    static ServiceProcess startOnPort(int grpcPort, List<Path> extraClassPath, Path log, String... serveArgs)
            throws IOException {
        List<String> command = new ArrayList<>(java(extraClassPath));
        command.addAll(List.of("serve", "--grpc-port", Integer.toString(grpcPort), "--metrics-port", "0"));
        command.addAll(List.of(serveArgs));
        if (!command.contains("--temporal-target")) {
            // The default, a local Temporal dev server as the service's child: the CLI the tests use, a free port,
            // no UI, and a state directory beside the log unless the test names one to reuse.
            command.addAll(List.of("--temporal-cli", RealTemporal.cli().toString()));
            if (!command.contains("--state-dir")) {
                command.addAll(List.of(
                        "--state-dir",
                        log.resolveSibling(log.getFileName() + ".state").toString()));
            }
            if (!command.contains("--local-temporal-port")) {
                command.addAll(List.of("--local-temporal-port", Integer.toString(freePort())));
            }
            if (!command.contains("--temporal-ui-port")) {
                command.addAll(List.of("--temporal-ui-port", "-1"));
            }
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServiceProcess service = new ServiceProcess(process, log, grpcPort);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
            }
            return service.serving();
        });
        return service;
    }

    /** {@code java -cp ... Main} with the built jar and any extra jars. */
    static List<String> java(List<Path> extraClassPath) {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                classPath(extraClassPath),
                "dev.sensorengine.Main");
    }

    /** SIGTERM, as Kubernetes stops a pod; waits for the process and returns its exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the service did not stop within 60 s of SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    /** Like kill -9: no shutdown hook, no drain. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    private boolean serving() {
        try {
            return HealthGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(1, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance())
                            .getStatus()
                    == ServingStatus.SERVING;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String classPath(List<Path> extra) {
        String jar = System.getProperty("sensorEngine.jar", "target/sensor-engine.jar");
        StringBuilder path = new StringBuilder(jar);
        extra.forEach(p -> path.append(File.pathSeparator).append(p));
        return path.toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
