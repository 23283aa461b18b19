package dev.sensorengine.runtime;

import dev.sensorengine.facade.FacadeServer;
import io.grpc.health.v1.HealthCheckResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gRPC health status true: SERVING while Temporal answers its health check and, in a role with a worker,
 * the worker runs; NOT_SERVING otherwise, and SERVING again once it recovers, without a restart.
 */
final class Readiness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "readiness");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Boolean ready;

    Readiness(FacadeServer facade, WorkflowServiceStubs temporal, BooleanSupplier workerRunning, Duration every) {
        checks.scheduleWithFixedDelay(
                () -> {
                    boolean now = reachable(temporal) && workerRunning.getAsBoolean();
                    if (ready == null || now != ready) {
                        facade.setServing(now);
                        if (ready != null) {
                            log.warn(
                                    now
                                            ? "Temporal reachable again: health SERVING"
                                            : "Temporal unreachable or worker stopped: health NOT_SERVING");
                        }
                        ready = now;
                    }
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static boolean reachable(WorkflowServiceStubs temporal) {
        try {
            return temporal.healthCheck().getStatus() == HealthCheckResponse.ServingStatus.SERVING;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
