package dev.sensorengine.runtime;

import dev.sensorengine.engine.WorkflowIds;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Temporal server on this machine: the Temporal CLI's {@code server start-dev} as a child process, with its
 * state in SQLite under the state directory, bound to 127.0.0.1, with the Temporal UI on its own port.
 *
 * <p>The state directory holds {@code temporal.db} (the sensors), {@code temporal.log} (the server's output),
 * {@code temporal.pid} and a lock that one service holds while it runs. A service killed with {@code kill -9} leaves
 * its child running; the next service on the same directory finds it through the pid file, stops it and starts a
 * fresh server on the same database, so every sensor carries on.
 */
public final class TemporalDevServer implements LocalTemporal {

    private static final Logger log = LoggerFactory.getLogger(TemporalDevServer.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final String WORKFLOW_SERVICE = "temporal.api.workflowservice.v1.WorkflowService";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final Path pidFile;
    private final FileChannel lockChannel;
    private final String target;
    private final Optional<String> uiUrl;

    private TemporalDevServer(
            Process process, Path pidFile, FileChannel lockChannel, String target, Optional<String> uiUrl) {
        this.process = process;
        this.pidFile = pidFile;
        this.lockChannel = lockChannel;
        this.target = target;
        this.uiUrl = uiUrl;
    }

    /**
     * Starts the server and waits until its frontend answers.
     *
     * @param port frontend port; 0 picks a free one
     * @param uiPort UI port; 0 picks a free one, -1 serves no UI
     * @param searchAttributes Keyword search attributes to register, by name
     * @throws IOException naming what to fix, when it cannot start
     */
    public static TemporalDevServer start(
            Path cli,
            Path stateDir,
            String namespace,
            int port,
            int uiPort,
            List<String> searchAttributes,
            Duration startTimeout)
            throws IOException {
        Files.createDirectories(stateDir);
        FileChannel lock = lock(stateDir);
        try {
            Path pidFile = stateDir.resolve("temporal.pid");
            Path database = stateDir.resolve("temporal.db").toAbsolutePath();
            stopLeftover(pidFile, database);
            int frontend = port == 0 ? freePort() : requireFree(port, "--local-temporal-port");
            int ui = uiPort == 0 ? freePort() : uiPort < 0 ? -1 : requireFree(uiPort, "--temporal-ui-port");
            List<String> command = new ArrayList<>(List.of(
                    cli.toString(),
                    "server",
                    "start-dev",
                    "--db-filename",
                    database.toString(),
                    "--ip",
                    LOOPBACK,
                    "--port",
                    Integer.toString(frontend),
                    "--log-level",
                    "warn",
                    // The id limit of a PostgreSQL- or MySQL-backed cluster (workflow_id VARCHAR(255)) instead of
                    // the dev server's 1,000: what runs here runs there.
                    "--dynamic-config-value",
                    "limit.maxIDLength=" + WorkflowIds.MAX_LENGTH));
            if (ui < 0) {
                command.add("--headless");
            } else {
                command.addAll(List.of("--ui-port", Integer.toString(ui), "--ui-disable-news-fetch"));
            }
            if (!namespace.equals("default")) {
                command.addAll(List.of("--namespace", namespace));
            }
            for (String name : searchAttributes) {
                command.addAll(List.of("--search-attribute", name + "=Keyword"));
            }
            Path logFile = stateDir.resolve("temporal.log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            String target = LOOPBACK + ":" + frontend;
            TemporalDevServer server = new TemporalDevServer(
                    process,
                    pidFile,
                    lock,
                    target,
                    ui < 0 ? Optional.empty() : Optional.of("http://" + LOOPBACK + ":" + ui));
            try {
                server.awaitServing(startTimeout, logFile);
            } catch (IOException | RuntimeException e) {
                server.closeQuietly();
                throw e;
            }
            log.info(
                    "Temporal dev server (pid {}) on {}, UI {}, state in {}",
                    process.pid(),
                    target,
                    server.uiUrl.orElse("off"),
                    database);
            return server;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public Optional<ManagedChannel> inProcessChannel() {
        return Optional.empty();
    }

    @Override
    public Optional<String> uiUrl() {
        return uiUrl;
    }

    /** The server's process id, for figures read from {@code /proc} (the benchmark reads its CPU and memory). */
    public long pid() {
        return process.pid();
    }

    /** Stops the server (SIGTERM, then SIGKILL after a grace) and releases the state directory. */
    @Override
    public void close() throws InterruptedException {
        try {
            stop(process.toHandle());
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", pidFile, e.toString());
        } finally {
            try {
                lockChannel.close();
            } catch (IOException e) {
                log.warn("cannot release the state directory lock: {}", e.toString());
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitServing(Duration timeout, Path logFile) throws IOException {
        ManagedChannel channel =
                NettyChannelBuilder.forTarget(target).usePlaintext().build();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("the Temporal dev server exited with code " + process.exitValue()
                            + " at start-up; its last words (" + logFile + "):\n" + tail(logFile));
                }
                // A refused connection puts the channel in reconnect backoff (1 s, growing); ask again at once.
                channel.resetConnectBackoff();
                try {
                    ServingStatus status = HealthGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(1, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.newBuilder()
                                    .setService(WORKFLOW_SERVICE)
                                    .build())
                            .getStatus();
                    if (status == ServingStatus.SERVING) {
                        return;
                    }
                } catch (StatusRuntimeException e) {
                    // Not listening yet.
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the Temporal dev server did not answer on " + target + " within " + timeout
                            + "; its log (" + logFile + "):\n" + tail(logFile));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the Temporal dev server started", e);
        } finally {
            channel.shutdownNow();
        }
    }

    /** Holds the state directory for this process; a second service on it would corrupt nothing but confuse all. */
    private static FileChannel lock(Path stateDir) throws IOException {
        FileChannel channel =
                FileChannel.open(stateDir.resolve("serve.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another sensor-engine serves the state directory " + stateDir.toAbsolutePath()
                    + "; stop it, or give this one another --state-dir");
        }
        return channel;
    }

    /**
     * A dev server left behind by a service killed with SIGKILL still holds the database and the ports. It is ours
     * when its pid is alive and its command line names this database (a recycled pid is someone else's).
     */
    private static void stopLeftover(Path pidFile, Path database) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).trim();
        Files.delete(pidFile);
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> leftover = ProcessHandle.of(pid)
                .filter(handle -> handle.info()
                        .arguments()
                        .map(arguments -> List.of(arguments).contains(database.toString()))
                        .orElse(false));
        if (leftover.isPresent()) {
            log.warn("stopping the Temporal dev server (pid {}) left behind by a previous run on {}", pid, database);
            try {
                stop(leftover.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping the leftover Temporal dev server", e);
            }
        }
    }

    private static void stop(ProcessHandle handle) throws InterruptedException {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("the Temporal dev server (pid {}) did not stop within {}; killing it", handle.pid(), STOP_GRACE);
            handle.destroyForcibly();
            handle.onExit().join();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    private static int requireFree(int port, String option) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
            return port;
        } catch (IOException e) {
            throw new IOException("port " + port + " on " + LOOPBACK + " is taken (" + e.getMessage()
                    + "); stop what holds it or choose another with " + option);
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
