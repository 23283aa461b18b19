package dev.sensorengine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Metric labels come from the registry's names, whatever names tasks bring. */
class SensorNamesTest {

    private final SensorNames names = new SensorNames(Set.of("flytekit.sensor.file_sensor.FileSensor", "FileSensor"));

    @Test
    void aRegisteredNameIsItsOwnLabel() {
        assertThat(names.label("flytekit.sensor.file_sensor.FileSensor", "FileSensor"))
                .isEqualTo("flytekit.sensor.file_sensor.FileSensor");
        // Found by its class name alone, as the registry resolves it.
        assertThat(names.label("my_team.sensors.FileSensor", "FileSensor")).isEqualTo("FileSensor");
    }

    @Test
    void tenThousandNamesFromTasksMakeOneLabel() {
        Set<String> labels = IntStream.range(0, 10_000)
                .mapToObj(i -> names.label("team" + i + ".Sensor" + i, "Sensor" + i))
                .collect(Collectors.toSet());

        assertThat(labels).containsExactly(SensorNames.OTHER);
    }
}
