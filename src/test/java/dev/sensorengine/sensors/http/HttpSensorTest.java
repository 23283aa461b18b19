package dev.sensorengine.sensors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.Secret;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.network.NetworkPolicy;
import dev.sensorengine.testing.S3ProxyServer;
import dev.sensorengine.testing.TestHttpServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HttpSensor against the JDK's HTTP server: every status class, slow answers, body checks and connections. */
class HttpSensorTest {

    private static final String TOKEN = "Bearer s3cr3t-t0ken";

    private TestHttpServer server;
    private TestHttpServer elsewhere;
    private final HttpSensor sensor = new HttpSensor();

    @BeforeEach
    void start() throws Exception {
        elsewhere = new TestHttpServer().status("/", 200, "collected");
        server = new TestHttpServer()
                .status("/ok", 200, "{\"status\": \"done\", \"count\": 3, \"items\": [{\"state\": \"ready\"}]}")
                .status("/running", 200, "{\"status\": \"running\", \"count\": 1}")
                .status("/html", 200, "<html>maintenance</html>")
                .status("/accepted", 202, "")
                .status("/missing", 404, "")
                .status("/conflict", 409, "")
                .status("/error", 500, "")
                .status("/unavailable", 503, "")
                .status("/throttled", 429, "")
                .status("/forbidden", 403, "")
                .status("/bad", 400, "")
                .slow("/slow")
                .route("/api/", exchange -> {
                    if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                        TestHttpServer.send(exchange, 401, "", Map.of());
                    } else if (exchange.getRequestURI().getPath().equals("/api/moved")) {
                        TestHttpServer.send(exchange, 302, "", Map.of("Location", elsewhere.url("/steal")));
                    } else {
                        TestHttpServer.send(exchange, 200, "{\"state\": \"SUCCEEDED\"}", Map.of());
                    }
                });
    }

    @AfterEach
    void stop() {
        server.close();
        elsewhere.close();
    }

    @Test
    void aSuccessfulAnswerIsReady() throws Exception {
        PokeResult result = poke(server.url("/ok"), Map.of());

        assertThat(result).isInstanceOfSatisfying(PokeResult.Ready.class, ready -> {
            assertThat(ready.message()).isEqualTo("HTTP 200 from " + server.host());
            assertThat(ready.details())
                    .containsEntry("url", server.url("/ok"))
                    .containsEntry("status", "200")
                    .containsEntry("method", "GET");
        });
        assertThat(poke(server.url("/accepted"), Map.of())).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void notFoundAndTheListedStatusesAreNotReady() throws Exception {
        assertThat(poke(server.url("/missing"), Map.of()))
                .isEqualTo(PokeResult.notReady("HTTP 404 from " + server.host() + " for " + server.url("/missing")));
        assertThat(poke(server.url("/conflict"), Map.of("not_ready_status", List.of(404.0, 409.0))))
                .isInstanceOf(PokeResult.NotReady.class);
        assertThat(poke(server.url("/accepted"), Map.of("expect_status", List.of(200.0))))
                .isEqualTo(PokeResult.notReady("HTTP 202 from " + server.host() + " for " + server.url("/accepted")
                        + ", waiting for HTTP [200]"));
    }

    @Test
    void serverErrorsAndThrottlingArePokeErrorsThatSayWhich() {
        assertThatThrownBy(() -> poke(server.url("/error"), Map.of()))
                .isInstanceOf(HttpPokeException.class)
                .hasMessage("HTTP 500 from " + server.host());
        assertThatThrownBy(() -> poke(server.url("/unavailable"), Map.of()))
                .isInstanceOf(HttpPokeException.class)
                .hasMessage("HTTP 503 from " + server.host());
        assertThatThrownBy(() -> poke(server.url("/throttled"), Map.of()))
                .isInstanceOf(HttpPokeException.class)
                .hasMessage("HTTP 429 from " + server.host());
    }

    @Test
    void otherClientErrorsFailTheSensor() throws Exception {
        assertThatThrownBy(() -> poke(server.url("/forbidden"), Map.of()))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageStartingWith("HTTP 403 from " + server.host() + ": access denied");
        assertThatThrownBy(() -> poke(server.url("/bad"), Map.of()))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("HTTP 400");
        // Listed as "not yet", a 403 is waited out instead.
        assertThat(poke(server.url("/forbidden"), Map.of("not_ready_status", List.of(403.0))))
                .isInstanceOf(PokeResult.NotReady.class);
    }

    @Test
    void aSlowAnswerIsAPokeErrorNamingTheTimeout() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> poke(server.url("/slow"), Map.of("request_timeout", "300ms")))
                .isInstanceOf(HttpPokeException.class)
                .hasMessage("timed out after 300ms waiting for " + server.host());
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
        assertThatThrownBy(() -> poke(server.url("/slow"), Map.of("request_timeout", 1.0)))
                .hasMessage("timed out after 1s waiting for " + server.host());
    }

    @Test
    void aRefusedConnectionIsAPokeError() throws Exception {
        int closed = S3ProxyServer.freePort();

        assertThatThrownBy(() -> poke("http://127.0.0.1:" + closed + "/health", Map.of()))
                .isInstanceOf(HttpPokeException.class)
                .hasMessage("cannot connect to 127.0.0.1:" + closed + " (connection refused or unreachable)");
    }

    @Test
    void responseContainsChecksTheBody() throws Exception {
        assertThat(poke(server.url("/ok"), Map.of("response_contains", "\"done\"")))
                .isInstanceOfSatisfying(
                        PokeResult.Ready.class,
                        ready -> assertThat(ready.message()).endsWith("the response contains '\"done\"'"));
        assertThat(poke(server.url("/running"), Map.of("response_contains", "\"done\"")))
                .isEqualTo(PokeResult.notReady(
                        "HTTP 200 from " + server.host() + ", but the response does not contain '\"done\"'"));
    }

    @Test
    void jsonPointerAndJsonEqualsCheckOneValue() throws Exception {
        assertThat(poke(server.url("/ok"), Map.of("json_pointer", "/status", "json_equals", "done")))
                .isInstanceOfSatisfying(PokeResult.Ready.class, ready -> {
                    assertThat(ready.message()).endsWith("/status is \"done\"");
                    assertThat(ready.details()).containsEntry("json_value", "\"done\"");
                });
        // sensor_config numbers arrive as doubles; 3.0 equals the answer's 3.
        assertThat(poke(server.url("/ok"), Map.of("json_pointer", "/count", "json_equals", 3.0)))
                .isInstanceOf(PokeResult.Ready.class);
        assertThat(poke(server.url("/ok"), Map.of("json_pointer", "/items/0/state", "json_equals", "ready")))
                .isInstanceOf(PokeResult.Ready.class);
        assertThat(poke(server.url("/running"), Map.of("json_pointer", "/status", "json_equals", "done")))
                .isEqualTo(PokeResult.notReady(
                        "HTTP 200 from " + server.host() + ", /status is \"running\", waiting for \"done\""));
        assertThat(poke(server.url("/running"), Map.of("json_pointer", "/finished_at")))
                .isEqualTo(PokeResult.notReady(
                        "HTTP 200 from " + server.host() + ", but the response has nothing at /finished_at"));
        assertThat(poke(server.url("/html"), Map.of("json_pointer", "/status")))
                .isEqualTo(PokeResult.notReady("HTTP 200 from " + server.host() + ", but the response is not JSON"));
    }

    @Test
    void headersComeFromTheConnectionAndNeverShow() throws Exception {
        Connections connections = partner();

        PokeResult result = poke(
                "jobs/42",
                Map.of("connection", "partner", "json_pointer", "/state", "json_equals", "SUCCEEDED"),
                connections);

        assertThat(result).isInstanceOf(PokeResult.Ready.class);
        assertThat(result.toString()).doesNotContain("s3cr3t");
        assertThat(server.seen()).singleElement().satisfies(seen -> {
            assertThat(seen.path()).isEqualTo("/api/jobs/42");
            assertThat(seen.headers().getFirst("Authorization")).isEqualTo(TOKEN);
        });
        // Without the connection the same URL has no credentials.
        assertThatThrownBy(() -> poke(server.url("/api/jobs/42"), Map.of()))
                .hasMessageContaining("HTTP 401")
                .isInstanceOf(SensorConfigurationException.class);
    }

    @Test
    void aConnectionsHeadersNeverLeaveItsBase() throws Exception {
        Connections connections = partner();

        for (String url : List.of(elsewhere.url("/"), server.url("/ok"), "../ok", "jobs/../../ok")) {
            assertThatThrownBy(() -> poke(url, Map.of("connection", "partner"), connections))
                    .as(url)
                    .isInstanceOf(SensorConfigurationException.class)
                    .hasMessageContaining("outside connection 'partner'");
        }
        // A redirect is not followed with the connection's headers, so they never reach another host.
        assertThatThrownBy(() -> poke("moved", Map.of("connection", "partner"), connections))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("HTTP 302")
                .hasMessageContaining("never follow redirects")
                .hasMessageNotContaining("s3cr3t");
        assertThat(elsewhere.seen()).isEmpty();
        assertThat(server.seen()).noneMatch(seen -> seen.path().equals("/ok"));
    }

    @Test
    void userInformationInATaskUrlIsNeitherSentNorShown() throws Exception {
        PokeResult result = poke("http://user:pw@" + server.host() + "/ok", Map.of());

        assertThat(result).isInstanceOf(PokeResult.Ready.class);
        assertThat(result.toString()).doesNotContain("pw");
        assertThat(server.seen())
                .singleElement()
                .satisfies(seen ->
                        assertThat(seen.headers().containsKey("Authorization")).isFalse());
    }

    @Test
    void configurationMistakesSayWhatToFix() {
        assertThatThrownBy(() -> poke("jobs/42", Map.of()))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> poke(server.url("/ok"), Map.of("method", "DELETE")))
                .hasMessageContaining("GET, HEAD or POST");
        assertThatThrownBy(() -> poke(server.url("/ok"), Map.of("expect_status", List.of("ok"))))
                .hasMessageContaining("expect_status");
        assertThatThrownBy(() -> poke(server.url("/ok"), Map.of("json_equals", "done")))
                .hasMessageContaining("needs 'json_pointer'");
        assertThatThrownBy(() -> poke(server.url("/ok"), Map.of("json_pointer", "status")))
                .hasMessageContaining("JSON pointer");
        assertThatThrownBy(() -> poke(server.url("/ok"), Map.of("request_timeout", "5 minutes")))
                .hasMessageContaining("request_timeout");
        assertThatThrownBy(() -> poke(server.url("/ok"), Map.of("connection", "nope")))
                .hasMessageContaining("unknown connection 'nope'");
        Connections noBase = new Connections(List.of(new Connection(
                "loose", "http", "", Map.of(), Map.of(), Map.of("Authorization", Secret.literal(TOKEN)))));
        assertThatThrownBy(() -> poke(server.url("/ok"), Map.of("connection", "loose"), noBase))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("has no url");
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void theEndpointIsTheHostOrTheConnection() {
        assertThat(sensor.endpoint(new PokeRequest(Map.of("url", "https://api.example.com/v1/x"), Map.of())))
                .contains("api.example.com");
        assertThat(sensor.endpoint(new PokeRequest(Map.of("url", "jobs/1"), Map.of("connection", "partner"))))
                .contains("partner");
    }

    private Connections partner() {
        return new Connections(List.of(new Connection(
                "partner",
                "http",
                server.url("/api"),
                Map.of(),
                Map.of(),
                Map.of(
                        "Authorization",
                        Secret.fromEnvironment("PARTNER_TOKEN", Map.of("PARTNER_TOKEN", TOKEN)::get)))));
    }

    private PokeResult poke(String url, Map<String, Object> config) throws Exception {
        return poke(url, config, Connections.none());
    }

    private PokeResult poke(String url, Map<String, Object> config, Connections connections) throws Exception {
        // The test servers listen on loopback, which the service refuses unless admitted.
        return sensor.poke(
                new PokeRequest(Map.of("url", url), new HashMap<>(config)),
                new SensorEnvironment(List.of(), connections, NetworkPolicy.allowing(List.of("127.0.0.0/8"))));
    }
}
