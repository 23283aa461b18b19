package dev.sensorengine.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sensorengine.engine.SensorSearchAttributes;
import dev.sensorengine.runtime.TemporalCli;
import dev.sensorengine.runtime.TemporalDevServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The real Temporal server for tests: the Temporal CLI's dev server (SQLite), as {@code serve} runs it by default.
 * {@link #shared()} is one server for the whole test JVM, started on first use and stopped when the JVM exits; tests
 * keep apart by task queue. {@link #start(Path)} gives a test its own server, to stop and restart on one database.
 *
 * <p>The CLI is the one {@code scripts/tools.sh} installs (the system property {@code temporal.cli}, which the pom
 * points at {@code .tools/venv/bin/temporal}), else {@code SENSOR_ENGINE_TEMPORAL_CLI}, else the first on
 * {@code PATH}. Without one, tests that need it are skipped, except under CI ({@code CI=true}), where they fail.
 */
public final class RealTemporal {

    static final String MISSING = "no Temporal CLI for the real Temporal server: run scripts/tools.sh (.ci/run does), "
            + "or set SENSOR_ENGINE_TEMPORAL_CLI";
    private static final Duration START = Duration.ofSeconds(60);

    private static TemporalDevServer shared;

    private RealTemporal() {}

    /** {@code host:port} of the shared server; skips the calling test (fails it under CI) when there is no CLI. */
    public static synchronized String shared() {
        if (shared == null) {
            try {
                Path stateDir = Files.createTempDirectory("real-temporal");
                shared = start(stateDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TemporalDevServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server), "real-temporal-stop"));
        }
        return shared.target();
    }

    /** The UI of the shared server. */
    public static synchronized String sharedUi() {
        shared();
        return shared.uiUrl().orElseThrow();
    }

    /**
     * A server of the test's own, its database in {@code stateDir}; the caller closes it. Started again on the same
     * directory, it carries on every workflow.
     */
    public static TemporalDevServer start(Path stateDir) throws IOException {
        return start(stateDir, 0);
    }

    /** Like {@link #start(Path)}, on a given frontend port, so that a server started again has the same address. */
    public static TemporalDevServer start(Path stateDir, int port) throws IOException {
        return TemporalDevServer.start(
                cli(),
                stateDir,
                "default",
                port,
                0,
                List.copyOf(SensorSearchAttributes.definitions().keySet()),
                START);
    }

    /** The CLI; skips the calling test (fails it under CI) when there is none. */
    public static Path cli() {
        Optional<Path> cli = find();
        if (cli.isEmpty() && "true".equals(System.getenv("CI"))) {
            fail(MISSING + " [CI=true, so this fails instead of skipping]");
        }
        assumeTrue(cli.isPresent(), MISSING);
        return cli.get();
    }

    private static Optional<Path> find() {
        Optional<Path> configured = Optional.ofNullable(System.getProperty("temporal.cli"))
                .or(() -> Optional.ofNullable(System.getenv("SENSOR_ENGINE_TEMPORAL_CLI")))
                .map(Path::of)
                .filter(Files::isExecutable);
        return configured.or(() ->
                TemporalCli.find(Optional.empty(), System::getenv, Path.of("").toAbsolutePath(), Optional.empty()));
    }

    private static void stopQuietly(TemporalDevServer server) {
        try {
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
