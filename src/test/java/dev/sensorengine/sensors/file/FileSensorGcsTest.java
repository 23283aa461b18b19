package dev.sensorengine.sensors.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FileSensor on gs:// paths through the real google-cloud-storage client, over its HTTP transport, against the
 * client library's own in-memory fake of the GCS JSON API (google-cloud-nio's LocalStorageHelper).
 */
class FileSensorGcsTest {

    private Storage storage;
    private final AtomicInteger clientsMade = new AtomicInteger();
    private ObjectStores stores;
    private FileSensor sensor;

    @BeforeEach
    void start() {
        storage = LocalStorageHelper.customOptions(false).getService();
        stores = new ObjectStores(() -> {
            clientsMade.incrementAndGet();
            return storage;
        });
        sensor = new FileSensor(stores);
        put("dt=2026-11-27/part-0.parquet", "yesterday");
        put("dt=2026-11-28/_SUCCESS", "");
        put("dt=2026-11-28/nested/part-9.parquet", "too deep");
        put("dt=2026-11-28/part-1.parquet", "0123456789");
    }

    @AfterEach
    void stop() {
        stores.close();
    }

    @Test
    void exactFindsTheObjectAndSaysWhatMatched() throws Exception {
        PokeResult result = poke("gs://lake/dt=2026-11-28/part-1.parquet", "exact");

        assertThat(result).isInstanceOfSatisfying(PokeResult.Ready.class, ready -> {
            assertThat(ready.message()).startsWith("found gs://lake/dt=2026-11-28/part-1.parquet (10 bytes");
            assertThat(ready.details())
                    .containsEntry("bucket", "lake")
                    .containsEntry("key", "dt=2026-11-28/part-1.parquet")
                    .containsEntry("size", "10");
        });
        assertThat(poke("gs://lake/dt=2026-11-29/_SUCCESS", "exact"))
                .isEqualTo(PokeResult.notReady("gs://lake/dt=2026-11-29/_SUCCESS does not exist"));
    }

    @Test
    void prefixFindsAnyObjectUnderIt() throws Exception {
        // GCS lists in name order; the fake does not, so any of the three may be the one reported.
        assertThat(poke("gs://lake/dt=2026-11-28/", "prefix"))
                .isInstanceOfSatisfying(
                        PokeResult.Ready.class,
                        ready -> assertThat(ready.details().get("key"))
                                .isIn(
                                        "dt=2026-11-28/_SUCCESS",
                                        "dt=2026-11-28/part-1.parquet",
                                        "dt=2026-11-28/nested/part-9.parquet"));
        assertThat(poke("gs://lake/dt=2026-11-30/", "prefix"))
                .isEqualTo(PokeResult.notReady("nothing under gs://lake/dt=2026-11-30/ yet"));
    }

    @Test
    void globMatchesOneLevelOnly() throws Exception {
        assertThat(poke("gs://lake/dt=2026-11-28/*.parquet", "glob"))
                .isInstanceOfSatisfying(
                        PokeResult.Ready.class,
                        ready -> assertThat(ready.details()).containsEntry("key", "dt=2026-11-28/part-1.parquet"));
        assertThat(poke("gs://lake/dt=2026-11-2?/nested/*", "glob"))
                .isInstanceOfSatisfying(
                        PokeResult.Ready.class,
                        ready -> assertThat(ready.details())
                                .containsEntry("key", "dt=2026-11-28/nested/part-9.parquet"));
        assertThat(poke("gs://lake/dt=2026-11-28/*.csv", "glob"))
                .isEqualTo(PokeResult.notReady("nothing matches gs://lake/dt=2026-11-28/*.csv yet"));
    }

    @Test
    void anObjectThatAppearsLaterIsFoundAndTheClientIsMadeOnce() throws Exception {
        assertThat(poke("gs://lake/later/_SUCCESS", "exact")).isInstanceOf(PokeResult.NotReady.class);
        put("later/_SUCCESS", "done");

        assertThat(poke("gs://lake/later/_SUCCESS", "exact")).isInstanceOf(PokeResult.Ready.class);
        assertThat(clientsMade).hasValue(1);
    }

    @Test
    void gcsTakesNoConnectionAndTheEndpointIsTheBucket() {
        assertThatThrownBy(() -> sensor.poke(
                        new PokeRequest(Map.of("path", "gs://lake/k"), Map.of("connection", "x")),
                        new SensorEnvironment(List.of())))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("application default credentials");
        assertThat(sensor.endpoint(new PokeRequest(Map.of("path", "gs://lake/dt=1/x"), Map.of())))
                .contains("lake");
        assertThat(clientsMade).hasValue(0);
    }

    private void put(String name, String content) {
        storage.create(BlobInfo.newBuilder(BlobId.of("lake", name)).build(), content.getBytes(StandardCharsets.UTF_8));
    }

    private PokeResult poke(String path, String match) throws Exception {
        return sensor.poke(
                new PokeRequest(Map.of("path", path), Map.of("match", match)), new SensorEnvironment(List.of()));
    }
}
