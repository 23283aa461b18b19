package dev.sensorengine.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.sensors.file.FileSensor;
import dev.sensorengine.sensors.http.HttpSensor;
import dev.sensorengine.sensors.time.DateTimeSensor;
import dev.sensorengine.sensors.time.TimeDeltaSensor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SensorRegistryTest {

    @Test
    void theBuiltInSensorsAreFoundOnTheClassPath() {
        SensorRegistry registry = SensorRegistry.load();

        assertThat(registry.resolve("flytekit.sensor.file_sensor", "FileSensor"))
                .isInstanceOf(FileSensor.class);
        assertThat(registry.resolve("my.own.module", "FileSensor")).isInstanceOf(FileSensor.class);
        assertThat(registry.resolve("", "TimeDeltaSensor")).isInstanceOf(TimeDeltaSensor.class);
        assertThat(registry.resolve(null, "DateTimeSensor")).isInstanceOf(DateTimeSensor.class);
    }

    @Test
    void httpSensorIsFoundByItsQualifiedAndSimpleNames() {
        SensorRegistry registry = SensorRegistry.load();

        assertThat(registry.resolve("sensor_engine.sensors", "HttpSensor")).isInstanceOf(HttpSensor.class);
        assertThat(registry.resolve("my_project.sensors", "HttpSensor")).isInstanceOf(HttpSensor.class);
    }

    @Test
    void theQualifiedNameWinsOverTheSimpleOne() {
        Sensor special = new Named("acme.sensors.FileSensor");
        SensorRegistry registry = new SensorRegistry(List.of(new FileSensor(), special));

        assertThat(registry.resolve("acme.sensors", "FileSensor")).isSameAs(special);
        assertThat(registry.resolve("other", "FileSensor")).isInstanceOf(FileSensor.class);
    }

    @Test
    void anUnknownSensorNamesTheKnownOnes() {
        assertThatThrownBy(() -> SensorRegistry.load().resolve("m", "KafkaSensor"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("unknown sensor 'm.KafkaSensor'")
                .hasMessageContaining("FileSensor");
        assertThatThrownBy(() -> SensorRegistry.load().resolve("m", " ")).hasMessageContaining("sensor_name");
    }

    @Test
    void twoSensorsClaimingOneNameIsAStartUpError() {
        assertThatThrownBy(() -> new SensorRegistry(List.of(new FileSensor(), new Named("FileSensor"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'FileSensor'");
    }

    private record Named(String name) implements Sensor {
        @Override
        public Set<String> names() {
            return Set.of(name);
        }

        @Override
        public PokeResult poke(PokeRequest request, SensorEnvironment environment) {
            return PokeResult.notReady("never");
        }
    }
}
