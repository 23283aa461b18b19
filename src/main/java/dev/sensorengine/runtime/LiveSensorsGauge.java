package dev.sensorengine.runtime;

import dev.sensorengine.engine.LiveSensors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code sensor_live{sensor}}: the waiting sensors, counted from Temporal every {@code every}. */
final class LiveSensorsGauge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveSensorsGauge.class);

    private final ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "live-sensors");
        thread.setDaemon(true);
        return thread;
    });

    LiveSensorsGauge(LiveSensors sensors, MeterRegistry metrics, Duration every) {
        MultiGauge gauge = MultiGauge.builder("sensor.live")
                .description("Sensors waiting, by sensor (open sensor workflows in Temporal)")
                .register(metrics);
        refresh.scheduleWithFixedDelay(
                () -> {
                    try {
                        gauge.register(
                                sensors.bySensor().entrySet().stream()
                                        .map(e -> MultiGauge.Row.of(Tags.of("sensor", e.getKey()), e.getValue()))
                                        .toList(),
                                true);
                    } catch (RuntimeException e) {
                        log.debug("cannot count live sensors: {}", e.toString());
                    }
                },
                0,
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        refresh.shutdownNow();
    }
}
