package dev.sensorengine.facade;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Python connector's request metrics, with its names and labels, so dashboards built for it keep working:
 * {@code flyte_connector_requests_success_total{task_type,operation}},
 * {@code flyte_connector_requests_failure_total{task_type,operation,error_code}},
 * {@code flyte_connector_request_latency_seconds{task_type,operation}} and
 * {@code flyte_connector_input_literal_bytes{task_type}}.
 */
final class RequestMetrics {

    private final MeterRegistry registry;
    // Looked up once per kind rather than per call: building a meter's id sorts its tags each time. A handful of
    // operations and status codes bound these maps.
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<String, Counter> successes = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    /** Registered with the first CreateTask, as before, so that a scrape shows it only once there is one. */
    private volatile DistributionSummary inputBytes;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    Timer.Sample begin() {
        return Timer.start(registry);
    }

    void succeeded(String operation, Timer.Sample sample) {
        sample.stop(latency(operation));
        successes
                .computeIfAbsent(
                        operation,
                        op -> Counter.builder("flyte.connector.requests.success")
                                .tag("task_type", TaskCategories.SENSOR)
                                .tag("operation", op)
                                .register(registry))
                .increment();
    }

    void failed(String operation, Timer.Sample sample, Status.Code code) {
        sample.stop(latency(operation));
        failures.computeIfAbsent(
                        operation + " " + code.name(),
                        key -> Counter.builder("flyte.connector.requests.failure")
                                .tag("task_type", TaskCategories.SENSOR)
                                .tag("operation", operation)
                                .tag("error_code", code.name())
                                .register(registry))
                .increment();
    }

    void inputBytes(int bytes) {
        DistributionSummary summary = inputBytes;
        if (summary == null) {
            // Registering twice from two threads is harmless: the registry hands both the same meter.
            summary = DistributionSummary.builder("flyte.connector.input.literal")
                    .baseUnit("bytes")
                    .tag("task_type", TaskCategories.SENSOR)
                    .register(registry);
            inputBytes = summary;
        }
        summary.record(bytes);
    }

    private Timer latency(String operation) {
        return latencies.computeIfAbsent(
                operation,
                op -> Timer.builder("flyte.connector.request.latency")
                        .tag("task_type", TaskCategories.SENSOR)
                        .tag("operation", op)
                        .publishPercentileHistogram()
                        .register(registry));
    }
}
