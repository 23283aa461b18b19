package dev.sensorengine.sensors.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Secret;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 clients are made lazily, once per configuration, however many pokes ask at once. No call reaches S3 here. */
class S3ClientsTest {

    private final Connection lake = new Connection(
            "lake",
            "s3",
            "",
            Map.of("endpoint", "http://127.0.0.1:9", "path_style", "true", "region", "eu-west-1"),
            Map.of("access_key_id", Secret.literal("id"), "secret_access_key", Secret.literal("key")),
            Map.of());

    @Test
    void concurrentPokesOfOneConfigurationShareOneClient() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (S3Clients clients = new S3Clients()) {
            Callable<S3Client> get = () -> clients.client(S3Settings.of(lake));
            List<Future<S3Client>> results =
                    threads.invokeAll(IntStream.range(0, 32).mapToObj(i -> get).toList());

            S3Client first = results.get(0).get();
            for (Future<S3Client> result : results) {
                assertThat(result.get()).isSameAs(first);
            }
            assertThat(clients.client(S3Settings.defaults()))
                    .isNotSameAs(first)
                    .isSameAs(clients.client(S3Settings.defaults()));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void settingsComeFromTheConnection() {
        S3Settings settings = S3Settings.of(lake);

        assertThat(settings.region()).contains("eu-west-1");
        assertThat(settings.endpoint().map(Object::toString)).contains("http://127.0.0.1:9");
        assertThat(settings.pathStyle()).isTrue();
        assertThat(settings.hasStaticCredentials()).isTrue();
        // The connection's url stands in for a missing endpoint setting.
        Connection byUrl = new Connection("m", "s3", "http://minio:9000", Map.of(), Map.of(), Map.of());
        assertThat(S3Settings.of(byUrl).endpoint().map(Object::toString)).contains("http://minio:9000");
        assertThat(S3Settings.of(byUrl).hasStaticCredentials()).isFalse();
        assertThat(settings.toString()).doesNotContain("Secret[value]=key").doesNotContain("=key");
    }
}
