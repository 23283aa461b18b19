package dev.sensorengine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskMetricsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.Secret;
import dev.sensorengine.testing.LogCapture;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.testing.S3ProxyServer;
import dev.sensorengine.testing.TestPostgres;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every sensor that takes a connection, with secrets that are unique marker strings, through the whole
 * service (gRPC, engine, embedded Temporal, worker), on success and failure paths: HttpSensor against a server that
 * answers 200, 401 and 500 (and echoes the request's headers in its bodies, as debugging servers do), FileSensor
 * on s3:// with the right and a wrong secret key, SqlSensor on SQLite with a password and, when the test PostgreSQL
 * is there, on PostgreSQL with the right and a wrong password. Then looks for every marker in everything the service
 * said: all that was logged (this project's loggers at TRACE, HikariCP at DEBUG), every gRPC response and error
 * description, the Prometheus scrape, and each sensor workflow's full Temporal history and description. No marker may appear anywhere.
 */
class SecretsSweepTest {

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();

    private final String run = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private final String httpToken = "http-token-marker-" + run;
    private final String s3AccessKey = "s3-access-marker-" + run;
    private final String s3SecretKey = "s3-secret-marker-" + run;
    private final String s3WrongSecretKey = "s3-wrong-secret-marker-" + run;
    private final String sqlitePassword = "sqlite-password-marker-" + run;
    private final String pgWrongPassword = "pg-wrong-password-marker-" + run;

    /** Where each piece of output came from, and the text of it. */
    private final Map<String, StringBuilder> said = new LinkedHashMap<>();

    private final List<String> workflowIds = new ArrayList<>();
    private AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent;

    @Test
    void noSecretShowsAnywhereTheServiceSpeaks(@TempDir Path dir) throws Exception {
        TestPostgres postgres = TestPostgres.fromEnvironment();
        Path database = dir.resolve("state.db");
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + database);
                var statement = db.createStatement()) {
            statement.execute("CREATE TABLE loads (day TEXT, done INTEGER)");
            statement.execute("INSERT INTO loads VALUES ('today', 1)");
        }
        Map<String, String> environment = Map.of("HTTP_TOKEN", "Bearer " + httpToken, "S3_SECRET", s3SecretKey);
        Files.writeString(dir.resolve("sqlite-password"), sqlitePassword + "\n");
        HttpServer http = echoingServer();
        LogCapture logs = LogCapture.start("dev.sensorengine", "com.zaxxer.hikari");
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, s3AccessKey, s3SecretKey)) {
            s3.createBucket("landing");
            s3.put("landing", "ready/_SUCCESS", "ok");
            List<Connection> connections = new ArrayList<>(List.of(
                    new Connection(
                            "api",
                            "http",
                            "http://127.0.0.1:" + http.getAddress().getPort() + "/api",
                            Map.of(),
                            Map.of(),
                            Map.of(
                                    "Authorization",
                                    Secret.fromEnvironment("HTTP_TOKEN", environment::get),
                                    "X-Api-Key",
                                    Secret.literal(httpToken))),
                    s3Connection("lake", s3, Secret.fromEnvironment("S3_SECRET", environment::get)),
                    s3Connection("lake-wrong-key", s3, Secret.literal(s3WrongSecretKey)),
                    new Connection(
                            "state",
                            "jdbc",
                            "jdbc:sqlite:" + database,
                            Map.of("username", "sensor"),
                            Map.of("password", Secret.fromFile(dir.resolve("sqlite-password"))),
                            Map.of())));
            if (postgres != null) {
                connections.add(new Connection(
                        "warehouse",
                        "jdbc",
                        postgres.url(),
                        Map.of("username", postgres.user()),
                        Map.of("password", Secret.literal(postgres.password())),
                        Map.of()));
                connections.add(new Connection(
                        "warehouse-wrong-password",
                        "jdbc",
                        postgres.url(),
                        Map.of("username", postgres.user(), "connection_timeout", "2s"),
                        Map.of("password", Secret.literal(pgWrongPassword)),
                        Map.of()));
            }
            try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess("secrets-sensors")
                    .temporalTarget(RealTemporal.shared())
                    .metricsPort(S3ProxyServer.freePort())
                    .pokeIntervals(Duration.ofMillis(300), Duration.ofSeconds(1))
                    .connections(new Connections(connections))
                    .build())) {
                ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                        .usePlaintext()
                        .build();
                try {
                    agent = AsyncAgentServiceGrpc.newBlockingStub(channel);
                    runEverySensor(postgres);
                    say("prometheus", scrape(service.metricsPort()));
                    sweepTemporal(service.temporalTarget());
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        } finally {
            logs.close();
            http.stop(0);
        }
        say("logs", logs.text());

        Map<String, String> markers = new LinkedHashMap<>(Map.of(
                "http token",
                httpToken,
                "s3 access key",
                s3AccessKey,
                "s3 secret key",
                s3SecretKey,
                "s3 wrong secret key",
                s3WrongSecretKey,
                "sqlite password",
                sqlitePassword,
                "postgres wrong password",
                pgWrongPassword));
        if (postgres != null) {
            markers.put("postgres password", postgres.password());
        }
        List<String> leaks = new ArrayList<>();
        said.forEach((source, text) -> markers.forEach((name, marker) -> {
            int at = text.indexOf(marker);
            if (at >= 0) {
                leaks.add(name + " in " + source + ": …"
                        + text.substring(Math.max(0, at - 200), Math.min(text.length(), at + marker.length() + 50))
                        + "…");
            }
        }));
        assertThat(said.keySet()).contains("logs", "prometheus", "grpc", "temporal history", "temporal describe");
        // The control: the execution names (not secret) do show everywhere a sensor is named, so the search works.
        said.forEach((source, text) -> assertThat(source.equals("prometheus") || text.indexOf("secrets-" + run) >= 0)
                .as("%s names the sensors", source)
                .isTrue());
        assertThat(workflowIds).hasSizeGreaterThanOrEqualTo(postgres == null ? 9 : 11);
        assertThat(logs.text()).contains("sensor succeeded").contains("sensor failed");
        assertThat(leaks).isEmpty();
    }

    private void runEverySensor(TestPostgres postgres) {
        // HttpSensor: the token passes (200), is refused (401, the body echoing the headers), the server fails (500).
        finish(http("jobs/ok"), Phase.SUCCEEDED);
        finish(http("denied"), Phase.FAILED);
        until(http("broken"), r -> r.getMessage().contains("poke error"), true);
        // FileSensor on s3://: found, not there yet, and a wrong secret key (403, which fails the sensor).
        finish(file("s3://landing/ready/_SUCCESS", "lake"), Phase.SUCCEEDED);
        until(file("s3://landing/later/_SUCCESS", "lake"), r -> r.getMessage().contains("does not exist"), true);
        finish(file("s3://landing/ready/_SUCCESS", "lake-wrong-key"), Phase.FAILED);
        // SqlSensor on SQLite (which ignores passwords): ready, and a query that fails on the database.
        finish(sql("state", "SELECT done FROM loads WHERE day = 'today'"), Phase.SUCCEEDED);
        finish(sql("state", "SELECT * FROM no_such_table"), Phase.FAILED);
        until(
                sql("state", "SELECT done FROM loads WHERE day = 'tomorrow'"),
                r -> r.getMessage().contains("no row"),
                true);
        if (postgres != null) {
            finish(sql("warehouse", "SELECT 1"), Phase.SUCCEEDED);
            finish(sql("warehouse-wrong-password", "SELECT 1"), Phase.FAILED);
        }
    }

    private ByteString http(String path) {
        return create("HttpSensor", Map.of("connection", "api"), Map.of("url", path));
    }

    private ByteString file(String path, String connection) {
        return create("FileSensor", Map.of("connection", connection), Map.of("path", path));
    }

    private ByteString sql(String connection, String query) {
        return create("SqlSensor", Map.of("connection", connection, "query_timeout", "5s"), Map.of("query", query));
    }

    private ByteString create(String sensor, Map<String, Object> config, Map<String, String> inputs) {
        CreateTaskRequest request = FlytekitSensorTasks.createRequest(FlytekitSensorTasks.Task.of(
                        "secrets-" + run + "-" + workflowIds.size(), "sensor_engine.sensors", sensor, inputs)
                .withSensorConfig(new LinkedHashMap<>(config))
                .withTimeout(Duration.ofMinutes(10)));
        ByteString meta = record(agent.createTask(request)).getResourceMeta();
        say("grpc", meta.toStringUtf8());
        return meta;
    }

    /** Waits for the sensor to end in {@code phase}; then reads its logs and metrics too. */
    private void finish(ByteString meta, Phase phase) {
        Resource done = until(meta, r -> r.getPhase() != Phase.RUNNING, false);
        assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(phase);
    }

    private Resource until(ByteString meta, Predicate<Resource> condition, boolean deleteAfter) {
        Resource resource = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> record(agent.getTask(GetTaskRequest.newBuilder()
                                        .setTaskCategory(SENSOR)
                                        .setResourceMeta(meta)
                                        .build()))
                                .getResource(),
                        condition);
        workflowIds.add((String) Structs.toMap(resource.getCustomInfo()).get("workflow_id"));
        agent.getTaskLogs(GetTaskLogsRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .setLines(100)
                        .build())
                .forEachRemaining(this::record);
        record(agent.getTaskMetrics(GetTaskMetricsRequest.newBuilder()
                .setTaskCategory(SENSOR)
                .setResourceMeta(meta)
                .build()));
        // A refusal's description is a response too.
        try {
            agent.getTaskMetrics(GetTaskMetricsRequest.newBuilder()
                    .setTaskCategory(SENSOR)
                    .setResourceMeta(meta)
                    .addQueries("secrets")
                    .build());
        } catch (StatusRuntimeException e) {
            say("grpc", e.getStatus().toString());
        }
        if (deleteAfter) {
            record(agent.deleteTask(DeleteTaskRequest.newBuilder()
                    .setTaskCategory(SENSOR)
                    .setResourceMeta(meta)
                    .build()));
        }
        return resource;
    }

    /**
     * Every history event (inputs, memo, search attributes, failures, heartbeats) and the description (memo, search
     * attributes, pending poke with its last failure). The embedded server has no list API; describe shows what a
     * visibility record holds.
     */
    private void sweepTemporal(String target) {
        WorkflowServiceStubs temporal = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
        try {
            for (String workflowId : workflowIds) {
                WorkflowExecution execution =
                        WorkflowExecution.newBuilder().setWorkflowId(workflowId).build();
                ByteString page = ByteString.EMPTY;
                do {
                    GetWorkflowExecutionHistoryResponse history = temporal.blockingStub()
                            .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                                    .setNamespace("default")
                                    .setExecution(execution)
                                    .setNextPageToken(page)
                                    .build());
                    say("temporal history", text(history));
                    page = history.getNextPageToken();
                } while (!page.isEmpty());
                say(
                        "temporal describe",
                        text(temporal.blockingStub()
                                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                                        .setNamespace("default")
                                        .setExecution(execution)
                                        .build())));
            }
        } finally {
            temporal.shutdownNow();
        }
    }

    /** A message as text and as its raw bytes, so a marker inside a payload's JSON shows either way. */
    private static String text(Message message) {
        return TextFormat.printer().escapingNonAscii(false).printToString(message) + "\n"
                + new String(message.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    private <T extends Message> T record(T response) {
        say("grpc", text(response));
        return response;
    }

    private void say(String source, String text) {
        said.computeIfAbsent(source, key -> new StringBuilder()).append(text).append('\n');
    }

    private static Connection s3Connection(String name, S3ProxyServer s3, Secret secretKey) {
        return new Connection(
                name,
                "s3",
                "",
                Map.of("endpoint", s3.endpoint().toString(), "region", "us-east-1", "path_style", "true"),
                Map.of("access_key_id", Secret.literal(s3.accessKey()), "secret_access_key", secretKey),
                Map.of());
    }

    /** 200 with the right token; otherwise 401; /api/broken is 500. Bodies echo every request header. */
    private HttpServer echoingServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/", exchange -> {
            String headers = exchange.getRequestHeaders().toString();
            boolean allowed =
                    ("Bearer " + httpToken).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            if (exchange.getRequestURI().getPath().endsWith("/broken")) {
                answer(exchange, 500, "internal error while serving " + headers);
            } else if (allowed && exchange.getRequestURI().getPath().endsWith("/jobs/ok")) {
                answer(exchange, 200, "{\"state\": \"done\", \"seen\": \"" + headers.replace("\"", "'") + "\"}");
            } else {
                answer(exchange, 401, "unauthorized: " + headers);
            }
        });
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String scrape(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .body();
    }
}
