package dev.sensorengine.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.Secret;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.testing.ServiceUnderTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HttpSensor as propeller meets it: a flytekit task over gRPC, the embedded Temporal server and the worker, against
 * the JDK's HTTP server, with its credentials in a named connection.
 */
class HttpSensorEndToEndTest {

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();
    private static final String TOKEN = "Bearer e2e-s3cr3t";

    private static final AtomicReference<String> jobState = new AtomicReference<>("RUNNING");
    private static HttpServer http;
    private static ServiceUnderTest running;
    private static AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent;

    @BeforeAll
    static void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/api/jobs/42", exchange -> {
            boolean allowed = TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            answer(exchange, allowed ? 200 : 401, "{\"state\": \"" + jobState.get() + "\"}");
        });
        http.createContext("/api/broken", exchange -> answer(exchange, 503, "down"));
        http.start();
        Connections connections = new Connections(List.of(new Connection(
                "partner",
                "http",
                "http://127.0.0.1:" + http.getAddress().getPort() + "/api",
                Map.of(),
                Map.of(),
                Map.of(
                        "Authorization",
                        Secret.fromEnvironment("PARTNER_TOKEN", Map.of("PARTNER_TOKEN", TOKEN)::get)))));
        running = ServiceUnderTest.start(ServiceConfig.inProcess("e2e-http-sensors")
                .temporalTarget(RealTemporal.shared())
                .pokeIntervals(Duration.ofMillis(300), Duration.ofSeconds(2))
                .connections(connections)
                .temporalUiUrl("http://temporal-ui.test:8080/")
                .build());
        agent = running.agent();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (running != null) {
            running.close();
        }
        if (http != null) {
            http.stop(0);
        }
    }

    @Test
    void anHttpSensorWaitsForTheJobAndNeverShowsTheConnectionsToken() {
        ByteString meta = create(
                "exec-http",
                Map.of("connection", "partner", "json_pointer", "/state", "json_equals", "SUCCEEDED"),
                "jobs/42");

        Resource waiting = awaitResource(meta, r -> r.getMessage().contains("/state is \"RUNNING\""));
        assertThat(waiting.getPhase()).isEqualTo(Phase.RUNNING);
        jobState.set("SUCCEEDED");

        Resource done = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);
        assertThat(done.getPhase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(done.getMessage()).contains("HTTP 200 from 127.0.0.1").contains("/state is \"SUCCEEDED\"");
        assertThat(Structs.toMap(done.getCustomInfo()))
                .containsEntry("matched_status", "200")
                .containsEntry(
                        "matched_url", "http://127.0.0.1:" + http.getAddress().getPort() + "/api/jobs/42");
        String everything = done.toString() + meta.toStringUtf8() + logs(meta);
        assertThat(everything).doesNotContain("e2e-s3cr3t");
    }

    @Test
    void aServerErrorIsRetriedAndSaysWhichError() {
        ByteString meta = create("exec-http-503", Map.of("connection", "partner"), "broken");

        Resource retrying = awaitResource(meta, r -> r.getMessage().contains("poke error"));
        assertThat(retrying.getPhase()).isEqualTo(Phase.RUNNING);
        assertThat(retrying.getMessage())
                .contains("HTTP 503 from 127.0.0.1:" + http.getAddress().getPort());
        agent.deleteTask(DeleteTaskRequest.newBuilder()
                .setTaskCategory(SENSOR)
                .setResourceMeta(meta)
                .build());
    }

    @Test
    void aTaskUrlOnLoopbackFailsAtOnceNamingTheFlag() {
        // The same server through the connection is fine (above); a task's own URL to it is refused.
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/api/jobs/42";
        ByteString meta = create("exec-http-loopback", Map.of(), url);

        Resource failed = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);
        assertThat(failed.getPhase()).isEqualTo(Phase.FAILED);
        assertThat(failed.getMessage())
                .contains(url + " resolves to 127.0.0.1, a loopback address; admit it with "
                        + "--allow-network 127.0.0.0/8");
    }

    private static ByteString create(String execution, Map<String, Object> config, String url) {
        CreateTaskRequest request = FlytekitSensorTasks.createRequest(
                FlytekitSensorTasks.Task.of(execution, "sensor_engine.sensors", "HttpSensor", Map.of("url", url))
                        .withSensorConfig(config));
        return agent.createTask(request).getResourceMeta();
    }

    private static Resource awaitResource(ByteString meta, Predicate<Resource> condition) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> agent.getTask(GetTaskRequest.newBuilder()
                                        .setTaskCategory(SENSOR)
                                        .setResourceMeta(meta)
                                        .build())
                                .getResource(),
                        condition);
    }

    private static String logs(ByteString meta) {
        StringBuilder text = new StringBuilder();
        agent.getTaskLogs(GetTaskLogsRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .setLines(100)
                        .build())
                .forEachRemaining(response -> text.append(response));
        return text.toString();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
