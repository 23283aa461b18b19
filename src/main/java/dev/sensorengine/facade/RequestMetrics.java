package dev.sensorengine.facade;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The Python connector's request metrics, with its names and labels, so dashboards built for it keep working:
 * {@code flyte_connector_requests_success_total{task_type,operation}},
 * {@code flyte_connector_requests_failure_total{task_type,operation,error_code}},
 * {@code flyte_connector_request_latency_seconds{task_type,operation}} and
 * {@code flyte_connector_input_literal_bytes{task_type}}.
 */
final class RequestMetrics {

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    Timer.Sample begin() {
        return Timer.start(registry);
    }

    void succeeded(String operation, Timer.Sample sample) {
        sample.stop(latency(operation));
        Counter.builder("flyte.connector.requests.success")
                .tag("task_type", TaskCategories.SENSOR)
                .tag("operation", operation)
                .register(registry)
                .increment();
    }

    void failed(String operation, Timer.Sample sample, Status.Code code) {
        sample.stop(latency(operation));
        Counter.builder("flyte.connector.requests.failure")
                .tag("task_type", TaskCategories.SENSOR)
                .tag("operation", operation)
                .tag("error_code", code.name())
                .register(registry)
                .increment();
    }

    void inputBytes(int bytes) {
        DistributionSummary.builder("flyte.connector.input.literal")
                .baseUnit("bytes")
                .tag("task_type", TaskCategories.SENSOR)
                .register(registry)
                .record(bytes);
    }

    private Timer latency(String operation) {
        return Timer.builder("flyte.connector.request.latency")
                .tag("task_type", TaskCategories.SENSOR)
                .tag("operation", operation)
                .publishPercentileHistogram()
                .register(registry);
    }
}
