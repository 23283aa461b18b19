package dev.sensorengine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.engine.EventWaker;
import dev.sensorengine.engine.ObjectEvent;
import dev.sensorengine.engine.WakeReport;
import dev.sensorengine.events.EventSettings;
import dev.sensorengine.events.PushSettings;
import dev.sensorengine.events.SqsSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service runs the event sources its configuration names with the waker it is given, reports them in
 * {@code /metrics}, stops them with itself, and refuses to start them without a waker.
 */
class EventSourcesWiringTest {

    @TempDir
    Path dir;

    private final List<ObjectEvent> woken = new CopyOnWriteArrayList<>();
    private final EventWaker waker = event -> {
        woken.add(event);
        return new WakeReport(1, 1, 0);
    };
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theServiceRunsItsEventSourcesWithItsWakerAndStopsThem() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "wiring-token");
        Path files = Files.createDirectory(dir.resolve("files"));
        URI events;
        try (SensorEngineService service = SensorEngineService.start(
                ServiceConfig.inProcess("events-wiring")
                        .fileRoots(List.of(files))
                        .metricsPort(freePort())
                        .events(new EventSettings(
                                Optional.of(new PushSettings(0, tokenFile, 64 * 1024)), SqsSettings.NONE, true))
                        .build(),
                Optional.of(waker))) {
            events = URI.create("http://127.0.0.1:" + service.eventsPort().orElseThrow() + "/events");

            HttpResponse<String> pushed = http.send(
                    HttpRequest.newBuilder(events)
                            .header("Authorization", "Bearer wiring-token")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": "
                                            + "{\"name\": \"b\"}, \"object\": {\"key\": \"k\"}}}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Path file = Files.createFile(files.resolve("_SUCCESS"));

            assertThat(pushed.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(1))
                    .until(() -> woken.stream().anyMatch(e -> e.object().equals(file.toString())));
            assertThat(woken).extracting(ObjectEvent::object).contains("s3://b/k");
            String scrape = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.metricsPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(scrape)
                    .contains("sensor_events_received_total{outcome=\"accepted\",source=\"s3\"} 1.0")
                    .contains("sensor_event_wake_latency_seconds_bucket{source=\"s3\"")
                    .contains("sensor_event_sensors_total{result=\"woken\",source=\"s3\"} 1.0");
        }

        URI stopped = events;
        assertThatThrownBy(() -> http.send(
                        HttpRequest.newBuilder(stopped)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void eventSourcesWithoutAWakerAreRefusedAtStart() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "t");

        // A worker alone has no engine to find the sensors an event wakes.
        assertThatThrownBy(() -> SensorEngineService.start(ServiceConfig.inProcess("events-no-waker")
                        .role(Role.WORKER)
                        .events(new EventSettings(
                                Optional.of(new PushSettings(0, tokenFile, 64 * 1024)), SqsSettings.NONE, false))
                        .build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("serves no API")
                .hasMessageContaining("--events-port");
    }

    @Test
    void anUnreadableTokenFileStopsTheStartSayingWhich() {
        Path missing = dir.resolve("no-such-token");

        assertThatThrownBy(() -> SensorEngineService.start(
                        ServiceConfig.inProcess("events-bad-token")
                                .events(new EventSettings(
                                        Optional.of(new PushSettings(0, missing, 64 * 1024)), SqsSettings.NONE, false))
                                .build(),
                        Optional.of(waker)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("--events-token-file " + missing);
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
