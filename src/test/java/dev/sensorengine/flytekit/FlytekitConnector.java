package dev.sensorengine.flytekit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * flytekit's own connector, {@code pyflyte serve connector}, as a process of its own from the tool venv (the system
 * property {@code flytekit.venv}, which the pom points at {@code .tools/venv}), with {@code compat/} on its
 * {@code PYTHONPATH} so that it imports the fixtures' example sensors, on free ports of 127.0.0.1's machine. It binds
 * every interface ({@code [::]}); it has no option to do otherwise. Without the venv the calling test is skipped,
 * under CI ({@code CI=true}) failed.
 */
final class FlytekitConnector implements AutoCloseable {

    static final String MISSING =
            "no pyflyte in %s: run scripts/tools.sh (scripts/test.sh does), which installs the pinned flytekit";
    /** Measured start-up is about 1 s on an idle machine; a loaded 2-core one takes several. */
    private static final Duration START = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final Path log;

    private FlytekitConnector(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the connector in {@code workDir} (its log is {@code connector.log} there); {@link #awaitReady()} waits
     * until it answers, so that the caller can start other things while Python imports flytekit.
     */
    static FlytekitConnector start(Path workDir) throws IOException {
        Path venv = Path.of(System.getProperty(
                "flytekit.venv", FlytekitFixtures.BASEDIR.resolve(".tools/venv").toString()));
        Path pyflyte = venv.resolve("bin/pyflyte");
        if (!Files.isExecutable(pyflyte)) {
            String missing = String.format(MISSING, venv);
            if ("true".equals(System.getenv("CI"))) {
                fail(missing + " [CI=true, so this fails instead of skipping]");
            }
            assumeTrue(false, missing);
        }
        int port = freePort();
        Path log = workDir.resolve("connector.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        pyflyte.toString(),
                        "serve",
                        "connector",
                        "--port",
                        Integer.toString(port),
                        "--prometheus_port",
                        Integer.toString(freePort())))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment()
                .put("PYTHONPATH", FlytekitFixtures.BASEDIR.resolve("compat").toString());
        Process process = builder.start();
        // Also when the test JVM ends without reaching the test's @AfterAll.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "flytekit-connector-stop"));
        return new FlytekitConnector(process, port, log);
    }

    /** Waits until the connector answers ListAgents; stops it and fails when it exits or does not answer in time. */
    FlytekitConnector awaitReady() throws InterruptedException {
        try (ConnectorClient client = client()) {
            await("flytekit's connector answering ListAgents on port " + port)
                    .atMost(START)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "pyflyte serve connector exited with " + process.exitValue() + ":\n" + logTail());
                        }
                        return !client.agents().isEmpty();
                    });
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        return this;
    }

    ConnectorClient client() {
        return new ConnectorClient("127.0.0.1", port);
    }

    long pid() {
        return process.pid();
    }

    String logTail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 3000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM (it ends by the signal, without draining), then SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
