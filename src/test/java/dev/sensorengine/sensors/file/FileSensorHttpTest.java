package dev.sensorengine.sensors.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.http.HttpPokeException;
import dev.sensorengine.sensors.network.NetworkPolicy;
import dev.sensorengine.testing.TestHttpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FileSensor on http(s):// paths against the JDK's HTTP server: exists = 2xx to HEAD, or to GET where HEAD is refused. */
class FileSensorHttpTest {

    /** The test server listens on loopback, which the service refuses unless admitted. */
    private static final SensorEnvironment LOOPBACK =
            new SensorEnvironment(List.of(), Connections.none(), NetworkPolicy.allowing(List.of("127.0.0.0/8")));

    private TestHttpServer server;
    private final FileSensor sensor = new FileSensor(new ObjectStores());

    @BeforeEach
    void start() throws Exception {
        server = new TestHttpServer()
                .route(
                        "/data/ready.csv",
                        exchange -> TestHttpServer.send(
                                exchange,
                                200,
                                "",
                                Map.of("Content-Length", "1234", "Last-Modified", "Sat, 28 Nov 2026 06:00:00 GMT")))
                .status("/data/missing.csv", 404, "no such file")
                .route("/data/no-head.csv", exchange -> {
                    if (exchange.getRequestMethod().equals("HEAD")) {
                        TestHttpServer.send(exchange, 405, "", Map.of("Allow", "GET"));
                    } else {
                        TestHttpServer.send(exchange, 200, "a,b\n1,2\n", Map.of());
                    }
                })
                .status("/data/broken.csv", 503, "")
                .status("/data/forbidden.csv", 403, "");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aHeadAnswering2xxMeansTheFileExists() throws Exception {
        PokeResult result = poke(server.url("/data/ready.csv"));

        assertThat(result).isInstanceOfSatisfying(PokeResult.Ready.class, ready -> {
            assertThat(ready.message())
                    .isEqualTo(
                            "found " + server.url("/data/ready.csv") + " (1234 bytes, modified 2026-11-28T06:00:00Z)");
            assertThat(ready.details())
                    .containsEntry("size", "1234")
                    .containsEntry("last_modified", "2026-11-28T06:00:00Z");
        });
        assertThat(server.seen()).extracting(TestHttpServer.Seen::method).containsExactly("HEAD");
    }

    @Test
    void notFoundIsNotReady() throws Exception {
        assertThat(poke(server.url("/data/missing.csv")))
                .isEqualTo(PokeResult.notReady(server.url("/data/missing.csv") + " does not exist (HTTP 404)"));
    }

    @Test
    void aServerThatRefusesHeadIsAskedWithGet() throws Exception {
        PokeResult result = poke(server.url("/data/no-head.csv"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PokeResult.Ready.class,
                        ready -> assertThat(ready.details()).containsEntry("size", "8"));
        assertThat(server.seen()).extracting(TestHttpServer.Seen::method).containsExactly("HEAD", "GET");
    }

    @Test
    void serverErrorsAreRetriedAndRefusalsFailTheSensor() {
        assertThatThrownBy(() -> poke(server.url("/data/broken.csv")))
                .isInstanceOf(HttpPokeException.class)
                .hasMessage("HTTP 503 from " + server.host());
        assertThatThrownBy(() -> poke(server.url("/data/forbidden.csv")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("access denied");
    }

    @Test
    void urlsCannotBeListedAndTheEndpointIsTheHost() {
        assertThatThrownBy(() -> sensor.poke(
                        new PokeRequest(Map.of("path", server.url("/data/")), Map.of("match", "prefix")),
                        new SensorEnvironment(List.of())))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("match must be exact");
        assertThat(sensor.endpoint(
                        new PokeRequest(Map.of("path", "https://user:pw@Files.Example.com:8443/x?y"), Map.of())))
                .contains("files.example.com:8443");
    }

    private PokeResult poke(String url) throws Exception {
        return sensor.poke(new PokeRequest(Map.of("path", url), Map.of()), LOOPBACK);
    }
}
