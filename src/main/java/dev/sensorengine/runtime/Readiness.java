package dev.sensorengine.runtime;

import dev.sensorengine.engine.TemporalOutage;
import dev.sensorengine.facade.FacadeServer;
import io.grpc.health.v1.HealthCheckResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gRPC health status true: SERVING while the worker runs (in a role with one) and Temporal answers, or has
 * been away no longer than the outage grace; NOT_SERVING otherwise, and SERVING again once it recovers, without a
 * restart. Within the grace the replicas stay in their Service, since GetTask answers for the sensors then; taking
 * every replica out at once would fail propeller's calls before they reach that answer.
 */
final class Readiness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "readiness");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Boolean ready;

    Readiness(
            FacadeServer facade,
            WorkflowServiceStubs temporal,
            BooleanSupplier workerRunning,
            TemporalOutage outage,
            Duration outageGrace,
            Duration every) {
        checks.scheduleWithFixedDelay(
                () -> {
                    Instant now = Instant.now();
                    if (reachable(temporal)) {
                        outage.reachable();
                    } else {
                        outage.unreachable(now);
                    }
                    boolean withinGrace = outage.downFor(now)
                            .map(down -> down.compareTo(outageGrace) <= 0)
                            .orElse(true);
                    boolean serving = withinGrace && workerRunning.getAsBoolean();
                    if (ready == null || serving != ready) {
                        facade.setServing(serving);
                        if (ready != null) {
                            log.warn(
                                    serving
                                            ? "Temporal reachable again: health SERVING"
                                            : "Temporal unreachable for longer than {} or worker stopped: health "
                                                    + "NOT_SERVING",
                                    outageGrace);
                        }
                        ready = serving;
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
