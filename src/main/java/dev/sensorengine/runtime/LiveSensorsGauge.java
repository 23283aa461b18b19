package dev.sensorengine.runtime;

import dev.sensorengine.engine.LiveSensors;
import dev.sensorengine.workflow.SensorNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
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

    /** @param names the registered sensor names: other names count under {@link SensorNames#OTHER} */
    LiveSensorsGauge(LiveSensors sensors, SensorNames names, MeterRegistry metrics, Duration every) {
        MultiGauge gauge = MultiGauge.builder("sensor.live")
                .description("Sensors waiting, by sensor (open sensor workflows in Temporal)")
                .register(metrics);
        refresh.scheduleWithFixedDelay(
                () -> {
                    try {
                        Map<String, Long> byLabel = new TreeMap<>();
                        sensors.bySensor()
                                .forEach((name, count) -> byLabel.merge(label(names, name), count, Long::sum));
                        gauge.register(
                                byLabel.entrySet().stream()
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

    private static String label(SensorNames names, String qualified) {
        return names.label(qualified, qualified.substring(qualified.lastIndexOf('.') + 1));
    }

    @Override
    public void close() {
        refresh.shutdownNow();
    }
}
