package dev.sensorengine.events;

import dev.sensorengine.engine.ObjectEvent;
import dev.sensorengine.engine.WakeReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * The event sources' figures, named like the service's others ({@code sensor_*}):
 *
 * <ul>
 *   <li>{@code sensor_events_received_total{source,outcome}}: messages received, one per request, SQS message or file
 *       event, whatever number of objects each names;
 *   <li>{@code sensor_event_wake_latency_seconds{source}}: from an event's receipt to the waker's return, a histogram;
 *   <li>{@code sensor_event_sensors_total{source,result}}: sensors that events matched, by whether they were
 *       {@code woken} or {@code ignored} (closed meanwhile, or a wake already pending).
 * </ul>
 */
final class EventMetrics {

    private final MeterRegistry registry;

    EventMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void received(String source, Outcome outcome) {
        registry.counter("sensor.events.received", "source", source, "outcome", outcome.label())
                .increment();
    }

    void woke(ObjectEvent event, WakeReport report, Instant now) {
        Timer.builder("sensor.event.wake.latency")
                .tag("source", event.source())
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.between(event.receivedAt(), now));
        registry.counter("sensor.event.sensors", "source", event.source(), "result", "woken")
                .increment(report.woken());
        registry.counter("sensor.event.sensors", "source", event.source(), "result", "ignored")
                .increment(report.ignored());
    }
}
