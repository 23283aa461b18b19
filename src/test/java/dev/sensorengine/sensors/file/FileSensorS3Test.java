package dev.sensorengine.sensors.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.Secret;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.testing.S3ProxyServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileSensor on s3:// paths against a real S3-compatible server, driven by the real AWS SDK. */
class FileSensorS3Test {

    private static final String BUCKET = "landing";

    @TempDir
    static Path work;

    private static S3ProxyServer s3;
    private static ObjectStores stores;
    private static FileSensor sensor;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start(work);
        s3.createBucket(BUCKET);
        s3.put(BUCKET, "dt=2026-11-27/part-0.parquet", "yesterday");
        s3.put(BUCKET, "dt=2026-11-28/_SUCCESS", "");
        s3.put(BUCKET, "dt=2026-11-28/nested/part-9.parquet", "too deep");
        s3.put(BUCKET, "dt=2026-11-28/part-1.parquet", "0123456789");
        stores = new ObjectStores();
        sensor = new FileSensor(stores);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stores != null) {
            stores.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void exactFindsTheKeyAndSaysWhatMatched() throws Exception {
        PokeResult result = poke("s3://landing/dt=2026-11-28/part-1.parquet", Map.of());

        assertThat(result).isInstanceOfSatisfying(PokeResult.Ready.class, ready -> {
            assertThat(ready.message())
                    .startsWith("found s3://landing/dt=2026-11-28/part-1.parquet (10 bytes, modified ");
            assertThat(ready.details())
                    .containsEntry("path", "s3://landing/dt=2026-11-28/part-1.parquet")
                    .containsEntry("bucket", BUCKET)
                    .containsEntry("key", "dt=2026-11-28/part-1.parquet")
                    .containsEntry("size", "10")
                    .containsKey("last_modified");
        });
    }

    @Test
    void aMissingKeyOrBucketIsNotReady() throws Exception {
        assertThat(poke("s3://landing/dt=2026-11-29/_SUCCESS", Map.of()))
                .isEqualTo(PokeResult.notReady("s3://landing/dt=2026-11-29/_SUCCESS does not exist"));
        assertThat(poke("s3://no-such-bucket/k", Map.of())).isInstanceOf(PokeResult.NotReady.class);
        assertThat(poke("s3://no-such-bucket/dt=", Map.of("match", "prefix")))
                .isEqualTo(PokeResult.notReady("nothing under s3://no-such-bucket/dt= yet (no bucket no-such-bucket)"));
    }

    @Test
    void aKeyThatAppearsLaterIsFoundByTheNextPoke() throws Exception {
        String path = "s3://landing/later/_SUCCESS";
        assertThat(poke(path, Map.of())).isInstanceOf(PokeResult.NotReady.class);

        s3.put(BUCKET, "later/_SUCCESS", "done");

        assertThat(poke(path, Map.of())).isInstanceOf(PokeResult.Ready.class);
        s3.delete(BUCKET, "later/_SUCCESS");
    }

    @Test
    void prefixFindsAnyObjectUnderIt() throws Exception {
        PokeResult result = poke("s3://landing/dt=2026-11-28/", Map.of("match", "prefix"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PokeResult.Ready.class,
                        ready -> assertThat(ready.details())
                                .containsEntry("key", "dt=2026-11-28/_SUCCESS")
                                .containsEntry("size", "0"));
        assertThat(poke("s3://landing/dt=2026-11-30/", Map.of("match", "prefix")))
                .isEqualTo(PokeResult.notReady("nothing under s3://landing/dt=2026-11-30/ yet"));
    }

    @Test
    void globMatchesKeysAndNotDeeperOrOtherDays() throws Exception {
        PokeResult result = poke("s3://landing/dt=2026-11-28/*.parquet", Map.of("match", "glob"));

        assertThat(result).isInstanceOfSatisfying(PokeResult.Ready.class, ready -> {
            assertThat(ready.details())
                    .containsEntry("key", "dt=2026-11-28/part-1.parquet")
                    .containsEntry("size", "10");
            assertThat(ready.message()).contains("s3://landing/dt=2026-11-28/part-1.parquet");
        });
        assertThat(poke("s3://landing/dt=2026-11-28/*.csv", Map.of("match", "glob")))
                .isEqualTo(PokeResult.notReady("nothing matches s3://landing/dt=2026-11-28/*.csv yet"));
        assertThat(poke("s3://landing/dt=*/nested/*.parquet", Map.of("match", "glob")))
                .isInstanceOfSatisfying(
                        PokeResult.Ready.class,
                        ready -> assertThat(ready.details())
                                .containsEntry("key", "dt=2026-11-28/nested/part-9.parquet"));
    }

    @Test
    void aConnectionWithCredentialsIsUsedAndItsSecretsNeverShow() throws Exception {
        Connections connections = new Connections(List.of(
                s3Connection(
                        "lake",
                        Map.of(
                                "access_key_id",
                                Secret.literal(S3ProxyServer.ACCESS_KEY),
                                "secret_access_key",
                                Secret.literal(S3ProxyServer.SECRET_KEY))),
                s3Connection(
                        "wrong",
                        Map.of(
                                "access_key_id",
                                Secret.literal(S3ProxyServer.ACCESS_KEY),
                                "secret_access_key",
                                Secret.literal("not-the-secret-key")))));

        PokeResult ready = poke("s3://landing/dt=2026-11-28/_SUCCESS", Map.of("connection", "lake"), connections);
        assertThat(ready).isInstanceOf(PokeResult.Ready.class);
        assertThat(ready.toString()).doesNotContain(S3ProxyServer.SECRET_KEY);

        // The default chain (system properties) holds the right key: the connection's wrong one must be the one used.
        assertThatThrownBy(() -> poke(
                        "s3://landing/dt=2026-11-28/", Map.of("connection", "wrong", "match", "prefix"), connections))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("access denied")
                .hasMessageContaining("connection 'wrong'")
                .hasMessageNotContaining("not-the-secret-key");
    }

    @Test
    void aConnectionWithoutSecretsTakesCredentialsFromTheDefaultChain() throws Exception {
        Connections connections = new Connections(List.of(s3Connection("minio", Map.of())));

        assertThat(poke("s3://landing/dt=2026-11-28/_SUCCESS", Map.of("connection", "minio"), connections))
                .isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void connectionMistakesAreConfigurationErrors() {
        Connections connections = new Connections(List.of(
                new Connection("web", "http", "http://127.0.0.1:1", Map.of(), Map.of(), Map.of()),
                s3Connection("half", Map.of("access_key_id", Secret.literal("id")))));

        assertThatThrownBy(() -> poke("s3://landing/k", Map.of("connection", "nope"), connections))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("[half, web]");
        assertThatThrownBy(() -> poke("s3://landing/k", Map.of("connection", "web"), connections))
                .hasMessageContaining("needs a s3 connection");
        assertThatThrownBy(() -> poke("s3://landing/k", Map.of("connection", "half"), connections))
                .hasMessageContaining("both secrets");
        assertThatThrownBy(() -> poke("s3:///k", Map.of())).hasMessageContaining("names no bucket");
        assertThatThrownBy(() -> poke("s3://landing", Map.of())).hasMessageContaining("match: prefix");
    }

    @Test
    void anUnreachableStoreIsAPokeErrorNotAConfigurationError() throws Exception {
        int closed = S3ProxyServer.freePort();
        Connections connections = new Connections(List.of(new Connection(
                "down",
                "s3",
                "http://127.0.0.1:" + closed,
                Map.of("path_style", "true", "region", "us-east-1"),
                Map.of(),
                Map.of())));

        assertThatThrownBy(() -> poke("s3://landing/k", Map.of("connection", "down"), connections))
                .isNotInstanceOf(SensorConfigurationException.class);
    }

    @Test
    void theEndpointIsTheBucket() {
        assertThat(sensor.endpoint(new PokeRequest(Map.of("path", "s3://landing/dt=1/x"), Map.of())))
                .contains("landing");
        assertThat(sensor.endpoint(new PokeRequest(Map.of("path", "/data/x"), Map.of())))
                .isEqualTo(Optional.empty());
    }

    private static Connection s3Connection(String name, Map<String, Secret> secrets) {
        return new Connection(
                name,
                "s3",
                "",
                Map.of("endpoint", s3.endpoint().toString(), "path_style", "true", "region", "us-east-1"),
                secrets,
                Map.of());
    }

    private static PokeResult poke(String path, Map<String, Object> config) throws Exception {
        return poke(path, config, new Connections(List.of(s3Connection("local", Map.of()))));
    }

    /** Without a connection in the config, pokes go through the "local" one: the test server is not at AWS's address. */
    private static PokeResult poke(String path, Map<String, Object> config, Connections connections) throws Exception {
        Map<String, Object> withConnection = new HashMap<>(config);
        if (connections.names().contains("local")) {
            withConnection.putIfAbsent("connection", "local");
        }
        return sensor.poke(
                new PokeRequest(Map.of("path", path), withConnection), new SensorEnvironment(List.of(), connections));
    }
}
