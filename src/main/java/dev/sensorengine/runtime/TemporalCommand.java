package dev.sensorengine.runtime;

import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensor-engine temporal}: the in-memory Temporal server on its own, so several service processes (an API
 * replica, a worker) can share one Temporal on a laptop or in CI. State is in memory.
 */
@Command(
        name = "temporal",
        mixinStandardHelpOptions = true,
        description = "Run the in-memory Temporal server alone, for several service processes to share.")
public final class TemporalCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(TemporalCommand.class);

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "7233",
            description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "Address to listen on; loopback unless you mean otherwise (default: ${DEFAULT-VALUE}).")
    String bind;

    @Override
    public Integer call() throws Exception {
        InMemoryTemporal temporal = InMemoryTemporal.start(InetAddress.getByName(bind), port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                temporal.close();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            stopped.countDown();
                            Runtime.getRuntime().halt(0);
                        },
                        "temporal-shutdown"));
        log.warn(
                "In-memory Temporal server listening on {}; its state is in memory and is lost when it stops",
                temporal.target());
        stopped.await();
        return 0;
    }
}
