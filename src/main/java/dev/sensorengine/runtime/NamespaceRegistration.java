package dev.sensorengine.runtime;

import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --register-namespace}: registers the sensors' namespace with {@code --namespace-retention} unless it exists,
 * then waits until Temporal serves it (a cluster's namespace cache learns of a new namespace within seconds; until
 * then starting a workflow in it fails with "not found").
 *
 * <p>Retention is how long Temporal keeps a sensor's record after the sensor ends. While the record exists, a repeated
 * CreateTask or a late GetTask of that task attempt finds the sensor's outcome; once it is gone before the sensor's
 * deadline, the service starts the sensor again from its {@code resource_meta} (after the deadline, nothing does). A
 * retention at least as long as the longest sensor timeout keeps every record past its sensor's deadline, so no
 * sensor is ever started twice; a shorter one lets a sensor that ended early poke its target again. An existing
 * namespace is left as it is, with a warning when its retention is shorter than {@code --default-timeout}.
 */
final class NamespaceRegistration {

    private static final Logger log = LoggerFactory.getLogger(NamespaceRegistration.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CHECK_EVERY = Duration.ofMillis(250);

    private NamespaceRegistration() {}

    /**
     * @param retention the retention of a namespace this registers
     * @param defaultTimeout the sensors' default timeout, which an existing namespace's retention should cover
     * @param ready how long Temporal may take to answer (while it starts) and to serve a namespace registered here
     * @throws IllegalStateException naming what to fix, when the namespace cannot be registered or served
     */
    static void ensure(
            WorkflowServiceStubs temporal,
            String namespace,
            Duration retention,
            Duration defaultTimeout,
            Duration ready) {
        long deadline = System.nanoTime() + ready.toNanos();
        Optional<Duration> existing = answered(deadline, "look up namespace " + namespace, () -> {
            try {
                return Optional.of(Duration.ofMillis(Durations.toMillis(stub(temporal)
                        .describeNamespace(DescribeNamespaceRequest.newBuilder()
                                .setNamespace(namespace)
                                .build())
                        .getConfig()
                        .getWorkflowExecutionRetentionTtl())));
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                    return Optional.empty();
                }
                throw e;
            }
        });
        if (existing.isEmpty()) {
            answered(deadline, "register namespace " + namespace + " (--register-namespace)", () -> {
                register(temporal, namespace, retention);
                return true;
            });
            // Until a call that needs the namespace (a count of its workflows) finds it.
            answered(
                    deadline,
                    "use namespace " + namespace + " (registered just now)",
                    () -> stub(temporal)
                            .countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
                                    .setNamespace(namespace)
                                    .build()));
        } else if (existing.get().compareTo(defaultTimeout) < 0) {
            log.warn(
                    "namespace {} keeps a sensor's record only {} after it ends, less than --default-timeout {}: a "
                            + "sensor whose record is gone before its deadline is started again when propeller asks "
                            + "about it, and pokes again; raise it with `temporal operator namespace update -n {} "
                            + "--retention {}`",
                    namespace,
                    existing.get(),
                    defaultTimeout,
                    namespace,
                    retention.toDays() + "d");
        } else {
            log.info("namespace {} exists (retention {})", namespace, existing.get());
        }
    }

    private static void register(WorkflowServiceStubs temporal, String namespace, Duration retention) {
        try {
            stub(temporal)
                    .registerNamespace(RegisterNamespaceRequest.newBuilder()
                            .setNamespace(namespace)
                            .setDescription("Flyte sensors (Sensor Engine)")
                            .setWorkflowExecutionRetentionPeriod(Durations.fromMillis(retention.toMillis()))
                            .build());
            log.info("namespace {} registered with retention {}", namespace, retention);
        } catch (StatusRuntimeException e) {
            // Another replica registered it first: that is the namespace.
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    /**
     * {@code call}'s answer, asked again while Temporal is starting (UNAVAILABLE, or a namespace not yet served)
     * until {@code deadline}; any other failure ends it at once.
     */
    private static <T> T answered(long deadline, String what, Supplier<T> call) {
        while (true) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                boolean passing = code == Status.Code.UNAVAILABLE
                        || code == Status.Code.DEADLINE_EXCEEDED
                        || code == Status.Code.NOT_FOUND;
                if (!passing || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "cannot " + what + ": " + code + " " + e.getStatus().getDescription()
                                    + "; check --temporal-target and its credentials, or register the namespace "
                                    + "with `temporal operator namespace create`",
                            e);
                }
                log.info("waiting for Temporal to {}: {}", what, code);
            }
            try {
                Thread.sleep(CHECK_EVERY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while trying to " + what, e);
            }
        }
    }

    private static WorkflowServiceBlockingStub stub(WorkflowServiceStubs temporal) {
        return temporal.blockingStub().withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
