package dev.sensorengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.engine.ResourceMeta;
import dev.sensorengine.engine.ResourceMetaCodec;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.testing.ServiceUnderTest;
import dev.sensorengine.testing.TestHttpServer;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard in {@code deploy/grafana/} asks only for metrics the service exports: the service runs on
 * the real Temporal server, sensors wait, succeed, fail, share pokes and wait for a rate limit, and every metric name
 * in the dashboard's PromQL is then found in a scrape of {@code /metrics}.
 */
class DashboardTest {

    private static final Path DASHBOARD = Path.of("deploy/grafana/sensor-engine-dashboard.json");
    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();
    /** Words of PromQL that look like metric names: functions, aggregations, keywords, and the dashboard's variables. */
    private static final Set<String> PROMQL_WORDS = Set.of(
            "sum",
            "rate",
            "irate",
            "increase",
            "histogram_quantile",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "max",
            "min",
            "avg",
            "count",
            "topk",
            "bottomk",
            "clamp_min",
            "label_replace",
            "vector",
            "or",
            "and",
            "unless",
            "le");

    @TempDir
    static Path root;

    private static TestHttpServer http;
    private static ServiceUnderTest running;
    private static AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent;

    @BeforeAll
    static void start() throws IOException {
        http = new TestHttpServer().status("/a", 404, "").status("/b", 404, "");
        String host = "127.0.0.1:" + http.port();
        running = ServiceUnderTest.start(ServiceConfig.inProcess("dashboard")
                .temporalTarget(RealTemporal.shared())
                .metricsPort(freePort())
                .pokeIntervals(Duration.ofMillis(300), Duration.ofSeconds(1))
                .fileRoots(List.of(root))
                .allowNetworks(List.of("127.0.0.1/32"))
                // A sensor poking every 300 ms reuses its own last answer for a second (--shared-poke-window): one
                // real poke a second for each of two HTTP sensors, where the limit allows one in all.
                .rateLimits(Map.of(host, 1.0))
                .build());
        agent = running.agent();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (running != null) {
            running.close();
        }
        if (http != null) {
            http.close();
        }
    }

    @Test
    void everyMetricTheDashboardAsksForIsExported() throws Exception {
        Set<String> asked = metricNames(new ObjectMapper().readTree(DASHBOARD.toFile()));
        assertThat(asked).as("metric names in the dashboard").hasSizeGreaterThan(10);

        List<ByteString> waiting = exerciseEveryPanel();

        // The Temporal SDK reports its metrics (and the workflows' sensor_finished) every 10 s.
        Set<String> missing = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> missing(asked, exported(scrape())), Set::isEmpty);
        assertThat(missing).isEmpty();
        waiting.forEach(meta -> agent.deleteTask(DeleteTaskRequest.newBuilder()
                .setTaskCategory(SENSOR)
                .setResourceMeta(meta)
                .build()));
    }

    @Test
    void metricNamesAreReadFromExpressionsAndVariables() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree("""
                        {"panels": [{"targets": [{"expr": "histogram_quantile(0.99, sum by (le, operation) (rate(\
                        a_seconds_bucket{job=~\\"$job\\", area=\\"heap\\"}[$__rate_interval]))) / ignoring(code) \
                        group_left sum without (x) (b_total) or vector(0)"}]}],
                         "templating": {"list": [{"definition": "label_values(c_total, job)"}]}}
                        """);

        assertThat(metricNames(dashboard)).containsExactly("a_seconds_bucket", "b_total", "c_total");
    }

    @Test
    void everyPanelHasAQueryAndADatasourceVariable() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

        assertThat(dashboard.path("title").asText()).isEqualTo("Sensor Engine");
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
        for (JsonNode panel : panels) {
            assertThat(panel.path("targets").size())
                    .as(panel.path("title").asText())
                    .isPositive();
            assertThat(panel.at("/datasource/uid").asText()).isEqualTo("${datasource}");
        }
        assertThat(dashboard.at("/templating/list").findValuesAsText("name")).contains("datasource", "job");
    }

    /**
     * Sensors that succeed, fail and are cancelled; sensors that wait, sharing pokes and waiting for the rate limit
     * (returned, still waiting); a refused call; a Temporal call that fails.
     */
    private static List<ByteString> exerciseEveryPanel() throws Exception {
        Path present = Files.writeString(root.resolve("present"), "");
        awaitPhase(create("exec-succeeds", fileSensor(present.toString())), Phase.SUCCEEDED);
        awaitPhase(create("exec-fails", fileSensor("/outside/every/root")), Phase.FAILED);
        ByteString cancelled =
                create("exec-cancelled", fileSensor(root.resolve("never").toString()));
        delete(cancelled);
        awaitPhase(cancelled, Phase.ABORTED);
        String base = "http://127.0.0.1:" + http.port();
        List<ByteString> waiting = List.of(
                create("exec-waits", fileSensor(root.resolve("missing").toString())),
                create("exec-http-a", httpSensor(base + "/a")),
                create("exec-http-b", httpSensor(base + "/b")));
        try {
            agent.getTask(GetTaskRequest.newBuilder()
                    .setTaskCategory(SENSOR)
                    .setResourceMeta(ByteString.copyFromUtf8("not a resource_meta"))
                    .build());
        } catch (StatusRuntimeException expected) {
            // counted under flyte_connector_requests_failure_total
        }
        // Propeller aborting a sensor, past its deadline, that Temporal no longer has: the cancel request fails
        // NOT_FOUND (and the delete succeeds).
        delete(ByteString.copyFrom(new ResourceMetaCodec("default", RequestLimits.DEFAULTS)
                .encode(new ResourceMeta(
                        ResourceMeta.VERSION,
                        "default",
                        "flyte-sensor:dashboard:never:started",
                        new SensorSpec(
                                "flytekit.sensor.file_sensor",
                                "FileSensor",
                                Map.of(),
                                Map.of("path", "/never"),
                                new PokePolicy(
                                        Duration.ofSeconds(1),
                                        Backoff.FIXED,
                                        Duration.ofSeconds(1),
                                        Duration.ofHours(1)),
                                Instant.now().minus(Duration.ofHours(2)))))));
        return waiting;
    }

    private static void delete(ByteString meta) {
        agent.deleteTask(DeleteTaskRequest.newBuilder()
                .setTaskCategory(SENSOR)
                .setResourceMeta(meta)
                .build());
    }

    /** Metric names in every PromQL expression of the dashboard and in its variables' {@code label_values}. */
    static Set<String> metricNames(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        for (String definition : dashboard.path("templating").findValuesAsText("definition")) {
            Matcher labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,")
                    .matcher(definition);
            while (labelValues.find()) {
                names.add(labelValues.group(1));
            }
        }
        for (String expression : dashboard.findValuesAsText("expr")) {
            // Label matchers, label lists, strings and ranges hold no metric names.
            String bare = expression
                    .replaceAll("\\{[^}]*}", "")
                    .replaceAll("\\((?:by|without)?\\s*\\)", "")
                    .replaceAll("(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
                    .replaceAll("\"[^\"]*\"", "")
                    .replaceAll("\\[[^]]*]", "")
                    .replaceAll("\\$\\w+", "");
            Matcher word = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
            while (word.find()) {
                if (!PROMQL_WORDS.contains(word.group())) {
                    names.add(word.group());
                }
            }
        }
        return names;
    }

    /** Every series name in a Prometheus text scrape. */
    private static Set<String> exported(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static Set<String> missing(Set<String> asked, Set<String> exported) {
        Set<String> missing = new TreeSet<>(asked);
        missing.removeAll(exported);
        return missing;
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(all::add);
            } else {
                all.add(panel);
            }
        }
        return all;
    }

    private static ByteString create(String execution, FlytekitSensorTasks.Task task) {
        CreateTaskRequest request = FlytekitSensorTasks.createRequest(
                FlytekitSensorTasks.Task.of(execution, task.sensorModule(), task.sensorName(), task.inputs())
                        .withSensorConfig(task.sensorConfig()));
        return agent.createTask(request).getResourceMeta();
    }

    private static FlytekitSensorTasks.Task fileSensor(String path) {
        return new FlytekitSensorTasks.Task(
                "",
                "",
                "",
                "",
                0,
                "flytekit.sensor.file_sensor",
                "FileSensor",
                Map.of(),
                Map.of("path", path),
                Optional.empty());
    }

    private static FlytekitSensorTasks.Task httpSensor(String url) {
        return new FlytekitSensorTasks.Task(
                "",
                "",
                "",
                "",
                0,
                "sensor_engine.sensors",
                "HttpSensor",
                Map.of(),
                Map.of("url", url),
                Optional.empty());
    }

    private static void awaitPhase(ByteString meta, Phase phase) {
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> agent.getTask(GetTaskRequest.newBuilder()
                                        .setTaskCategory(SENSOR)
                                        .setResourceMeta(meta)
                                        .build())
                                .getResource()
                                .getPhase(),
                        phase::equals);
    }

    private static String scrape() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + running.service().metricsPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
