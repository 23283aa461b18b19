package dev.sensorengine.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * moto's standalone server (S3, SQS and the rest of its AWS emulation in one process) on 127.0.0.1, from the tool
 * venv that {@code scripts/tools.sh} builds (the system property {@code moto.server}, which the pom points at
 * {@code .tools/venv/bin/moto_server}). It takes any credentials; its account is {@value #ACCOUNT}. Without it, the
 * calling test is skipped, except under CI ({@code CI=true}), where it fails.
 */
public final class MotoServer implements AutoCloseable {

    /** The account moto puts every resource in, as in queue ARNs. */
    public static final String ACCOUNT = "123456789012";

    static final String MISSING = "no moto_server for the SQS and S3 event tests: run scripts/tools.sh (.ci/run does)";

    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts one on a free port; skips the calling test (fails it under CI) when moto is not installed. */
    public static MotoServer start(Path workDir) throws IOException {
        Path executable = executable();
        int port = S3ProxyServer.freePort();
        Path log = workDir.resolve("moto.log");
        Process process = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalServers.awaitListening("moto_server", process, port, log);
        return new MotoServer(process, port);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Stops the server by its process id. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path executable() {
        Optional<Path> found = Optional.ofNullable(System.getProperty("moto.server"))
                .map(Path::of)
                .filter(Files::isExecutable);
        if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
            fail(MISSING + " [CI=true, so this fails instead of skipping]");
        }
        assumeTrue(found.isPresent(), MISSING);
        return found.get();
    }
}
