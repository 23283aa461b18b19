package dev.sensorengine.events;

import dev.sensorengine.engine.WakeReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Run in a JVM of its own by {@link StalledClientsTest}, since the JDK reads its request-time bound once per JVM:
 * stalls more connections than the endpoint has threads, each with half a request, then checks that the endpoint still
 * answers a real push. Exits 0 when it does, 1 saying what failed.
 */
public final class StalledClientsProbe {

    private StalledClientsProbe() {}

    public static void main(String[] args) throws Exception {
        Path token = Files.writeString(Files.createTempFile("events-token", ""), "probe-token");
        RecordingWaker waker = new RecordingWaker();
        waker.answer(event -> new WakeReport(1, 1, 0));
        try (EventSources sources = EventSources.start(
                new EventSettings(Optional.of(new PushSettings(0, token, 64 * 1024)), SqsSettings.NONE, false),
                List.of(),
                waker,
                new SimpleMeterRegistry(),
                Clock.systemUTC(),
                Duration.ofSeconds(1))) {
            int port = sources.pushPort().orElseThrow();
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                OutputStream out = socket.getOutputStream();
                // Headers that promise a body which never comes, and one connection that never ends its headers.
                out.write((i % 2 == 0
                                ? "POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer probe-token\r\n"
                                        + "Content-Length: 1000\r\n\r\n{"
                                : "POST /events HTTP/1.1\r\nHost: x\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                stalled.add(socket);
            }
            HttpClient http = HttpClient.newHttpClient();
            String body =
                    "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": {\"name\": \"b\"}, "
                            + "\"object\": {\"key\": \"after-stall\"}}}]}";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String last = "no answer";
            while (System.nanoTime() < deadline) {
                try {
                    HttpResponse<String> response = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
                                    .timeout(Duration.ofSeconds(5))
                                    .header("Authorization", "Bearer probe-token")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && waker.objects().contains("s3://b/after-stall")) {
                        System.out.println("answered after stalled clients");
                        stalled.forEach(StalledClientsProbe::closeQuietly);
                        System.exit(0);
                    }
                    last = response.statusCode() + " " + response.body();
                } catch (java.io.IOException e) {
                    // Turned away while the stalled ones hold the threads; they are cut after the bound.
                    last = e.toString();
                }
            }
            System.out.println("no answer to a real push behind stalled clients: " + last);
            System.exit(1);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (java.io.IOException e) {
            // already closed by the server
        }
    }
}
