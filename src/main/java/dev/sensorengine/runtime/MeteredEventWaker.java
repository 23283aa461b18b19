package dev.sensorengine.runtime;

import dev.sensorengine.engine.EventWaker;
import dev.sensorengine.engine.ObjectEvent;
import dev.sensorengine.engine.WakeReport;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The engine's {@link EventWaker} with its figures by event source: {@code sensor_events_matched_total}, {@code
 * sensor_events_woken_total} and {@code sensor_events_ignored_total} count sensors, {@code
 * sensor_events_failed_total} events that must be retried. Sources count what they received and the event-to-wake
 * latency themselves. {@code source} is a label, so sources keep it to a few fixed names.
 */
final class MeteredEventWaker implements EventWaker {

    private final EventWaker waker;
    private final MeterRegistry metrics;

    MeteredEventWaker(EventWaker waker, MeterRegistry metrics) {
        this.waker = waker;
        this.metrics = metrics;
    }

    @Override
    public WakeReport wake(ObjectEvent event) {
        WakeReport report;
        try {
            report = waker.wake(event);
        } catch (RuntimeException e) {
            metrics.counter("sensor.events.failed", "source", event.source()).increment();
            throw e;
        }
        metrics.counter("sensor.events.matched", "source", event.source()).increment(report.matched());
        metrics.counter("sensor.events.woken", "source", event.source()).increment(report.woken());
        metrics.counter("sensor.events.ignored", "source", event.source()).increment(report.ignored());
        return report;
    }
}
