package dev.sensorengine.sensors.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorengine.sensors.EventTarget;
import dev.sensorengine.sensors.PokeRequest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which events wake a FileSensor: the target it stores with the sensor, and the match it makes as its poke would. */
class FileSensorEventTargetTest {

    private final FileSensor sensor = new FileSensor();

    private Optional<EventTarget> target(String path, String match) {
        return sensor.eventTarget(
                new PokeRequest(Map.of("path", path), match == null ? Map.of() : Map.of("match", match)));
    }

    @Test
    void storesTheBucketThePathAndTheMatch() {
        assertThat(target("s3://b/in/_SUCCESS", null))
                .contains(new EventTarget("s3://b", "s3://b/in/_SUCCESS", "exact"));
        assertThat(target("gs://b/in/", "prefix")).contains(new EventTarget("gs://b", "gs://b/in/", "prefix"));
        assertThat(target("/data/in/*.csv", "glob"))
                .contains(new EventTarget("file:///data", "/data/in/*.csv", "glob"));
        assertThat(target("https://Example.com:443/a", null))
                .contains(new EventTarget("https://example.com", "https://Example.com:443/a", "exact"));
    }

    @Test
    void aWildcardBucketOrAListedUrlOrAnUnparsablePathIsOnlyPolled() {
        assertThat(target("s3://b*/k", "glob")).isEmpty();
        assertThat(target("/d*/in/x", "glob")).isEmpty();
        assertThat(target("https://example.com/a", "prefix")).isEmpty();
        assertThat(target("relative/path", null)).isEmpty();
        assertThat(target("s3://b/k", "fuzzy")).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} woken by {2}: {3}")
    @CsvSource({
        "s3://b/in/_SUCCESS, exact, s3://b/in/_SUCCESS, true",
        "s3://b/in/_SUCCESS, exact, s3://b/in/_SUCCESS2, false",
        "s3://b/in/, prefix, s3://b/in/part-0, true",
        "s3://b/in/, prefix, s3://b/out/part-0, false",
        // The whole bucket: key prefix empty, and a longer bucket name is another bucket.
        "s3://b, prefix, s3://b/anything, true",
        "s3://b, prefix, s3://bb/anything, false",
        "s3://b/dt=*/*.parquet, glob, s3://b/dt=2026-11-30/a.parquet, true",
        "s3://b/dt=*/*.parquet, glob, s3://b/dt=2026-11-30/x/a.parquet, false",
        "s3://b/dt=*/*.parquet, glob, s3://c/dt=2026-11-30/a.parquet, false",
        "s3://b/**/_SUCCESS, glob, s3://b/a/b/c/_SUCCESS, true",
        "'gs://b/in/{a,b}.csv', glob, gs://b/in/b.csv, true",
        "'gs://b/in/{a,b}.csv', glob, s3://b/in/b.csv, false",
        "/data/in/, prefix, /data/in/x/y, true",
        "/data/in/, prefix, /data/out/x, false",
        "/data/in/*.csv, glob, /data/in/a.csv, true",
        "/data/in/*.csv, glob, /data/in/a.txt, false",
        "https://h/a, exact, https://h/a, true",
    })
    void matchesAsThePokeWould(String path, String match, String object, boolean woken) {
        EventTarget target = target(path, match).orElseThrow();
        assertThat(sensor.wokenBy(target, object)).isEqualTo(woken);
    }

    @Test
    void theDefaultSensorIsWokenByItsExactTargetOnly() {
        dev.sensorengine.sensors.Sensor plain = new dev.sensorengine.sensors.Sensor() {
            @Override
            public java.util.Set<String> names() {
                return java.util.Set.of("Plain");
            }

            @Override
            public dev.sensorengine.sensors.PokeResult poke(
                    PokeRequest request, dev.sensorengine.sensors.SensorEnvironment environment) {
                throw new UnsupportedOperationException();
            }
        };
        EventTarget target = new EventTarget("s3://b", "s3://b/k", "exact");
        assertThat(plain.eventTarget(new PokeRequest(Map.of("path", "s3://b/k"), Map.of())))
                .isEmpty();
        assertThat(plain.wokenBy(target, "s3://b/k")).isTrue();
        assertThat(plain.wokenBy(target, "s3://b/k2")).isFalse();
    }
}
