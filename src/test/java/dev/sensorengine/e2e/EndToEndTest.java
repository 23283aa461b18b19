package dev.sensorengine.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.Main;
import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.engine.ResourceMeta;
import dev.sensorengine.engine.ResourceMetaCodec;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetAgentRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskMetricsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.ListAgentsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AgentMetadataServiceGrpc;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.testing.ServiceUnderTest;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorNames;
import dev.sensorengine.workflow.SensorSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service as propeller meets it: real gRPC over a socket, the embedded Temporal server, the worker,
 * and a real file system under a {@code --file-root}.
 */
class EndToEndTest {

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();

    @TempDir
    static Path root;

    private static ServiceUnderTest running;
    private static AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent;

    @BeforeAll
    static void startService() throws IOException {
        running = ServiceUnderTest.start(ServiceConfig.inProcess("e2e-sensors")
                .temporalTarget(RealTemporal.shared())
                .metricsPort(freePort())
                .pokeIntervals(Duration.ofMillis(300), Duration.ofSeconds(5))
                .fileRoots(List.of(root))
                .temporalUiUrl("http://temporal-ui.test:8080/")
                .build());
        agent = running.agent();
    }

    @AfterAll
    static void stopService() throws InterruptedException {
        running.close();
    }

    @Test
    void aFlytekitFileSensorRunsUntilItsFileAppears() throws IOException {
        Path file = root.resolve("data/_SUCCESS");
        ByteString meta = create(fileSensor(file.toString(), "exec-file", 0));

        Resource waiting = awaitResource(meta, r -> r.getMessage().contains("does not exist"));
        assertThat(waiting.getPhase()).isEqualTo(Phase.RUNNING);
        assertThat(waiting.getMessage())
                .contains(file.toString())
                .contains("poke")
                .contains("times out in");
        Map<String, Object> info = Structs.toMap(waiting.getCustomInfo());
        assertThat(info).containsKeys("workflow_id", "run_id", "pokes", "last_poke_time", "next_poke_time", "deadline");
        assertThat(info.get("workflow_id")).isEqualTo("flyte-sensor:flytesnacks:development:exec-file:n0:0");
        assertThat(waiting.getLogLinks(0).getUri())
                .startsWith("http://temporal-ui.test:8080/namespaces/default/workflows/flyte-sensor%3Aflytesnacks");

        Files.createDirectories(file.getParent());
        Files.writeString(file, "done");

        Resource done = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);
        assertThat(done.getPhase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(done.getMessage()).contains("found " + file).contains("4 bytes");
        assertThat(Structs.toMap(done.getCustomInfo())).containsEntry("matched_size", "4");
    }

    @Test
    void repeatedCreatesForOneAttemptReturnTheSameBytes() {
        CreateTaskRequest request = fileSensor(root.resolve("never").toString(), "exec-idempotent", 0);

        ByteString first = create(request);
        ByteString second = create(request);
        ByteString nextAttempt = create(fileSensor(root.resolve("never").toString(), "exec-idempotent", 1));

        assertThat(second).isEqualTo(first);
        assertThat(nextAttempt).isNotEqualTo(first);
        delete(first);
        delete(nextAttempt);
    }

    @Test
    void deleteAbortsTheSensorAndIsIdempotent() {
        ByteString meta = create(fileSensor(root.resolve("never").toString(), "exec-delete", 0));
        awaitResource(meta, r -> r.getMessage().contains("does not exist"));

        delete(meta);
        Resource aborted = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);
        delete(meta);

        assertThat(aborted.getPhase()).isEqualTo(Phase.ABORTED);
        assertThat(aborted.getMessage()).contains("cancelled");
        assertThat(get(meta).getPhase()).isEqualTo(Phase.ABORTED);
    }

    @Test
    void deleteOfAFinishedOrUnknownSensorSucceeds() throws IOException {
        Path file = Files.writeString(root.resolve("already-there"), "x");
        ByteString meta = create(fileSensor(file.toString(), "exec-finished", 0));
        awaitResource(meta, r -> r.getPhase() == Phase.SUCCEEDED);

        delete(meta);
        delete(forgedMeta("flyte-sensor:never:started"));

        assertThat(get(meta).getPhase()).isEqualTo(Phase.SUCCEEDED);
    }

    @Test
    void theDeprecatedTaskTypeAloneRoutes() {
        ByteString meta = create(fileSensor(root.resolve("never").toString(), "exec-task-type", 0));

        Resource resource = agent.getTask(GetTaskRequest.newBuilder()
                        .setTaskType("sensor")
                        .setResourceMeta(meta)
                        .build())
                .getResource();
        agent.deleteTask(DeleteTaskRequest.newBuilder()
                .setTaskType("sensor")
                .setResourceMeta(meta)
                .build());

        assertThat(resource.getPhase()).isEqualTo(Phase.RUNNING);
    }

    @Test
    void anUnknownCategoryIsNotFound() {
        ByteString meta = create(fileSensor(root.resolve("never").toString(), "exec-category", 0));

        assertStatus(
                () -> agent.getTask(GetTaskRequest.newBuilder()
                        .setResourceMeta(meta)
                        .setTaskCategory(TaskCategory.newBuilder().setName("bigquery"))
                        .build()),
                Status.Code.NOT_FOUND,
                "bigquery");
        assertStatus(
                () -> agent.getTask(GetTaskRequest.newBuilder()
                        .setResourceMeta(meta)
                        .setTaskCategory(
                                TaskCategory.newBuilder().setName("sensor").setVersion(3))
                        .build()),
                Status.Code.NOT_FOUND,
                "sensor v3");
        assertStatus(
                () -> agent.getTask(GetTaskRequest.newBuilder()
                        .setResourceMeta(meta)
                        .setTaskType("spark")
                        .build()),
                Status.Code.NOT_FOUND,
                "spark");
        CreateTaskRequest notASensor = fileSensor("/x", "exec-category-2", 0).toBuilder()
                .setTemplate(fileSensor("/x", "exec-category-2", 0).getTemplate().toBuilder()
                        .setType("bigquery_query_job_task"))
                .build();
        assertStatus(() -> agent.createTask(notASensor), Status.Code.NOT_FOUND, "bigquery_query_job_task");
        delete(meta);
    }

    @Test
    void malformedRequestsAreInvalidArguments() {
        assertStatus(() -> get(ByteString.copyFromUtf8("garbage")), Status.Code.INVALID_ARGUMENT, "resource_meta");
        assertStatus(() -> get(ByteString.EMPTY), Status.Code.INVALID_ARGUMENT, "resource_meta is empty");
        assertStatus(
                () -> get(forgedMeta("payments-workflow-42")),
                Status.Code.INVALID_ARGUMENT,
                "not a sensor of this service");
        assertStatus(
                () -> agent.deleteTask(DeleteTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(ByteString.copyFromUtf8("{\"v\":1}"))
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "resource_meta");
        assertStatus(
                () -> agent.createTask(withConfig("exec-bad-config", Map.of("poke_interval", "soon"))),
                Status.Code.INVALID_ARGUMENT,
                "sensor_config.poke_interval");
        assertStatus(
                () -> agent.createTask(CreateTaskRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT,
                "template");
        // The service is still healthy after all of that.
        assertThat(health("")).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void aPathOutsideTheFileRootFailsTheSensorNamingTheOption() {
        ByteString meta = create(fileSensor("/etc/passwd", "exec-outside", 0));

        Resource failed = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);

        assertThat(failed.getPhase()).isEqualTo(Phase.FAILED);
        assertThat(failed.getMessage()).contains("/etc/passwd").contains("--file-root");
    }

    @Test
    void anUnknownSensorFailsNamingTheSensorsThereAre() {
        ByteString meta = create(FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                "p",
                "d",
                "exec-unknown",
                "n0",
                0,
                "my.sensors",
                "KafkaSensor",
                Map.of(),
                Map.of("topic", "t"),
                Optional.empty())));

        Resource failed = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);

        assertThat(failed.getPhase()).isEqualTo(Phase.FAILED);
        assertThat(failed.getMessage()).contains("my.sensors.KafkaSensor").contains("FileSensor");
    }

    @Test
    void aGoneWorkflowIsAdoptedAgainFromItsResourceMeta() {
        Instant createdAt = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS);
        SensorSpec spec = new SensorSpec(
                "flytekit.sensor.file_sensor",
                "FileSensor",
                Map.of(),
                Map.of("path", root.resolve("never").toString()),
                new PokePolicy(Duration.ofSeconds(1), Backoff.FIXED, Duration.ofSeconds(5), Duration.ofHours(1)),
                createdAt);
        ByteString meta = ByteString.copyFrom(new ResourceMetaCodec("default", RequestLimits.DEFAULTS)
                .encode(new ResourceMeta(
                        ResourceMeta.VERSION, "default", "flyte-sensor:lost:" + UUID.randomUUID(), spec)));

        Resource adopted = awaitResource(meta, r -> r.getMessage().contains("does not exist"));

        assertThat(adopted.getPhase()).isEqualTo(Phase.RUNNING);
        assertThat(Structs.toMap(adopted.getCustomInfo()))
                .containsEntry("deadline", createdAt.plus(Duration.ofHours(1)).toString());
        delete(meta);
    }

    @Test
    void aSensorStartedByFlytekitsConnectorIsTakenOverInFlight() throws IOException {
        Path file = root.resolve("flytekit/_SUCCESS");
        // Exactly what flytekit's Python SensorEngine returned from create(): its own resource_meta.
        ByteString meta = ByteString.copyFromUtf8("{\"sensor_module\": \"flytekit.sensor.file_sensor\", "
                + "\"sensor_name\": \"FileSensor\", \"sensor_config\": null, \"inputs\": {\"path\": \"" + file
                + "\"}}");

        Resource first = awaitResource(meta, r -> r.getMessage().contains("does not exist"));
        Resource second = get(meta);

        assertThat(first.getPhase()).isEqualTo(Phase.RUNNING);
        String workflowId = (String) Structs.toMap(first.getCustomInfo()).get("workflow_id");
        assertThat(workflowId).startsWith("flyte-sensor:flytekit:");
        assertThat(Structs.toMap(second.getCustomInfo()))
                .containsEntry("workflow_id", workflowId)
                .containsEntry(
                        "created_at", Structs.toMap(first.getCustomInfo()).get("created_at"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, "ok");
        assertThat(awaitResource(meta, r -> r.getPhase() != Phase.RUNNING).getPhase())
                .isEqualTo(Phase.SUCCEEDED);
        delete(meta);
        assertStatus(
                () -> get(ByteString.copyFromUtf8("{\"sensor_name\": \"FileSensor\", \"inputs\": [1]}")),
                Status.Code.INVALID_ARGUMENT,
                "inputs");
    }

    @Test
    void aFlytekitSensorCanBeDeletedAfterTakeOver() {
        ByteString meta = ByteString.copyFromUtf8("{\"sensor_module\": \"flytekit.sensor.file_sensor\", "
                + "\"sensor_name\": \"FileSensor\", \"sensor_config\": null, \"inputs\": {\"path\": \""
                + root.resolve("flytekit-never") + "\"}}");
        awaitResource(meta, r -> r.getMessage().contains("does not exist"));

        delete(meta);

        assertThat(awaitResource(meta, r -> r.getPhase() != Phase.RUNNING).getPhase())
                .isEqualTo(Phase.ABORTED);
    }

    @Test
    void aSensorDeletedBeforeTemporalHeldItIsNotStartedByALateGet() {
        // A meta whose workflow Temporal never held (or lost): DeleteTask succeeds, and the GetTask that propeller
        // may still have in flight finds the sensor deleted instead of starting it.
        ByteString meta = forgedMeta("flyte-sensor:deleted-first:" + UUID.randomUUID());

        delete(meta);
        Resource late = get(meta);

        assertThat(late.getPhase()).isEqualTo(Phase.ABORTED);
        assertThat(late.getMessage()).contains("deleted by DeleteTask before Temporal held the sensor");
        assertThat(Structs.toMap(late.getCustomInfo())).containsEntry("pokes", "0");
        delete(meta);
        assertThat(get(meta).getPhase()).isEqualTo(Phase.ABORTED);
    }

    @Test
    void aSensorWhoseRecordExpiredAfterItsDeadlineIsNotStartedAgain() throws IOException {
        Path file = Files.writeString(root.resolve("expired"), "x");
        ByteString meta = create(withPathAndConfig(file.toString(), "exec-expired", Map.of("timeout", "5s")));
        Resource done = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);
        assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(Phase.SUCCEEDED);
        String workflowId = (String) Structs.toMap(done.getCustomInfo()).get("workflow_id");
        Instant deadline =
                Instant.parse((String) Structs.toMap(done.getCustomInfo()).get("deadline"));
        await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().isAfter(deadline));

        // What the namespace's retention does to a closed workflow, done at once.
        purge(workflowId);
        Resource late = get(meta);

        assertThat(late.getPhase()).isEqualTo(Phase.FAILED);
        assertThat(late.getMessage()).contains("holds no record of this sensor").contains("deadline");
        assertThat(describe(workflowId)).as("not started again").isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void twoExecutionsWaitingWithTheSameFlytekitMetaAreApart() {
        ByteString meta = ByteString.copyFromUtf8("{\"sensor_module\": \"flytekit.sensor.file_sensor\", "
                + "\"sensor_name\": \"FileSensor\", \"sensor_config\": null, \"inputs\": {\"path\": \""
                + root.resolve("shared-by-two") + "\"}}");
        String first = "s3://flyte/metadata/exec-a/n0/0/";
        String second = "s3://flyte/metadata/exec-b/n0/0/";

        Resource a = await().atMost(Duration.ofSeconds(30))
                .until(() -> get(meta, first), r -> r.getMessage().contains("does not exist"));
        Resource b = await().atMost(Duration.ofSeconds(30))
                .until(() -> get(meta, second), r -> r.getMessage().contains("does not exist"));
        assertThat(Structs.toMap(a.getCustomInfo()).get("workflow_id"))
                .isNotEqualTo(Structs.toMap(b.getCustomInfo()).get("workflow_id"));

        // Propeller aborts one; DeleteTask names no execution, so neither is cancelled for the other's abort.
        delete(meta);

        assertThat(get(meta, first).getPhase()).isEqualTo(Phase.RUNNING);
        assertThat(get(meta, second).getPhase()).isEqualTo(Phase.RUNNING);
    }

    @Test
    void logsHaveAHeaderThenStructuredLines() {
        ByteString meta = create(fileSensor(root.resolve("never").toString(), "exec-logs", 0));
        awaitResource(meta, r -> r.getMessage().contains("does not exist"));

        List<GetTaskLogsResponse> all = logs(meta, 0);
        List<GetTaskLogsResponse> one = logs(meta, 1);

        assertThat(all.get(0).hasHeader()).isTrue();
        List<String> lines = all.stream()
                .filter(GetTaskLogsResponse::hasBody)
                .flatMap(r -> r.getBody().getStructuredLinesList().stream())
                .map(l -> l.getMessage())
                .toList();
        assertThat(lines.get(0))
                .contains("started sensor=flytekit.sensor.file_sensor.FileSensor")
                .contains("interval=")
                .contains("timeout=");
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("does not exist"));
        assertThat(one.stream()
                        .filter(GetTaskLogsResponse::hasBody)
                        .mapToInt(r -> r.getBody().getStructuredLinesCount())
                        .sum())
                .isEqualTo(1);
        delete(meta);
    }

    @Test
    void metricsArePrometheusRangeResults() {
        ByteString meta = create(fileSensor(root.resolve("never").toString(), "exec-metrics", 0));
        awaitResource(meta, r -> r.getMessage().contains("does not exist"));

        var response = agent.getTaskMetrics(GetTaskMetricsRequest.newBuilder()
                .setTaskCategory(SENSOR)
                .setResourceMeta(meta)
                .build());

        assertThat(response.getResultsList()).extracting(r -> r.getMetric()).containsExactly("pokes", "age_seconds");
        Map<String, Object> pokes = Structs.toMap(response.getResults(0).getData());
        assertThat(pokes).containsEntry("resultType", "matrix");
        assertThat(pokes.get("result")).asList().hasSize(1);
        assertStatus(
                () -> agent.getTaskMetrics(GetTaskMetricsRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .addQueries("cpu")
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "cpu");
        delete(meta);
    }

    @Test
    void agentsAreDiscoverable() {
        var metadata = AgentMetadataServiceGrpc.newBlockingStub(running.channel());

        var agents = metadata.listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList();

        assertThat(agents).hasSize(1);
        assertThat(agents.get(0).getIsSync()).isFalse();
        assertThat(agents.get(0).getSupportedTaskCategoriesList()).containsExactly(SENSOR);
        assertThat(agents.get(0).getSupportedTaskTypesList()).containsExactly("sensor");
        assertThat(metadata.getAgent(GetAgentRequest.newBuilder()
                                .setName(agents.get(0).getName())
                                .build())
                        .getAgent())
                .isEqualTo(agents.get(0));
        assertStatus(
                () -> metadata.getAgent(
                        GetAgentRequest.newBuilder().setName("Databricks").build()),
                Status.Code.NOT_FOUND,
                "Databricks");
    }

    @Test
    void healthIsServingForEveryService() {
        assertThat(health("")).isEqualTo(ServingStatus.SERVING);
        assertThat(health("flyteidl.service.AsyncAgentService")).isEqualTo(ServingStatus.SERVING);
        assertThat(health("flyteidl.service.AgentMetadataService")).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void prometheusCountsRequestsWithThePythonConnectorsNames() throws Exception {
        ByteString meta = create(fileSensor(root.resolve("never").toString(), "exec-prometheus", 0));
        // Poked at least once, so the poke counter exists whichever test ran first.
        awaitResource(meta, r -> r.getMessage().contains("does not exist"));
        assertStatus(() -> get(ByteString.copyFromUtf8("nope")), Status.Code.INVALID_ARGUMENT, "resource_meta");

        String body = scrape();

        assertThat(body)
                .containsPattern(
                        "flyte_connector_requests_success_total\\{operation=\"create\",task_type=\"sensor\"} [1-9]")
                .containsPattern(
                        "flyte_connector_requests_failure_total\\{error_code=\"INVALID_ARGUMENT\",operation=\"get\","
                                + "task_type=\"sensor\"} [1-9]")
                .contains("flyte_connector_request_latency_seconds_bucket{operation=\"get\"")
                .contains("flyte_connector_input_literal_bytes_count{task_type=\"sensor\"}")
                .contains("sensor_pokes_total");
        delete(meta);
    }

    @Test
    void aTimeDeltaSensorIsATimerCountedFromCreation() {
        ByteString meta = create(FlytekitSensorTasks.createRequest(FlytekitSensorTasks.Task.of(
                "exec-delta", "my_workflows.sensors", "TimeDeltaSensor", Map.of("delta", Duration.ofSeconds(2)))));

        Resource waiting = get(meta);
        assertThat(waiting.getPhase()).isEqualTo(Phase.RUNNING);
        assertThat(waiting.getMessage()).startsWith("waiting until").contains("no pokes");
        Instant wakeAt =
                Instant.parse((String) Structs.toMap(waiting.getCustomInfo()).get("wake_at"));
        Instant createdAt =
                Instant.parse((String) Structs.toMap(waiting.getCustomInfo()).get("created_at"));
        assertThat(wakeAt).isEqualTo(createdAt.plusSeconds(2));

        Resource done = awaitResource(meta, r -> r.getPhase() != Phase.RUNNING);

        assertThat(done.getPhase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(done.getMessage()).contains("reached " + wakeAt);
        assertThat(Structs.toMap(done.getCustomInfo())).containsEntry("pokes", "0");
    }

    @Test
    void aDateTimeSensorInThePastFiresAtOnceAndABadOneIsRefused() {
        ByteString meta = create(FlytekitSensorTasks.createRequest(FlytekitSensorTasks.Task.of(
                "exec-datetime",
                "my_workflows.sensors",
                "DateTimeSensor",
                Map.of("target_time", Instant.parse("2020-01-01T00:00:00Z")))));

        assertThat(awaitResource(meta, r -> r.getPhase() != Phase.RUNNING).getPhase())
                .isEqualTo(Phase.SUCCEEDED);
        assertStatus(
                () -> agent.createTask(FlytekitSensorTasks.createRequest(FlytekitSensorTasks.Task.of(
                        "exec-datetime-bad", "m", "DateTimeSensor", Map.of("target_time", "tomorrow")))),
                Status.Code.INVALID_ARGUMENT,
                "target_time");
    }

    @Test
    void theClientCommandsDriveASensorFromCreateToSuccess() throws IOException {
        Path file = root.resolve("client/_SUCCESS");
        String target = "127.0.0.1:" + running.service().grpcPort();

        CommandResult created = client(
                "--target",
                target,
                "create",
                "--path",
                file.toString(),
                "--config",
                "poke_interval=300ms",
                "--execution",
                "exec-client");
        assertThat(created.exit()).isZero();
        String meta = created.out().trim();
        assertThat(client("--target", target, "get", meta).out())
                .startsWith("RUNNING")
                .contains("workflow_id: ");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "ok");

        CommandResult watched = client("--target", target, "watch", "--every", "100ms", meta);

        assertThat(watched.exit()).isZero();
        assertThat(watched.out().lines().reduce((first, second) -> second).orElseThrow())
                .contains("SUCCEEDED");
        assertThat(client("--target", target, "logs", meta).out())
                .contains("started sensor=")
                .contains("ended");
        assertThat(client("--target", target, "delete", meta).out()).contains("deleted");
        assertThat(client("--target", target, "agents").out()).contains("categories=[sensor v0]");
        CommandResult garbage = client("--target", target, "get", "bm90IGEgbWV0YQ==");
        assertThat(garbage.exit()).isEqualTo(1);
        assertThat(garbage.err()).contains("INVALID_ARGUMENT");
    }

    private record CommandResult(int exit, String out, String err) {}

    private static CommandResult client(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine commandLine =
                Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "client";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = commandLine.execute(all);
        return new CommandResult(exit, out.toString(), err.toString());
    }

    @Test
    void finishedSensorsAndTemporalsOwnMetricsReachPrometheus() throws IOException {
        Path file = Files.writeString(root.resolve("counted"), "x");
        ByteString meta = create(fileSensor(file.toString(), "exec-finished-metric", 0));
        awaitResource(meta, r -> r.getPhase() == Phase.SUCCEEDED);

        // The SDK's metrics flush every 10 s.
        String body = await().atMost(Duration.ofSeconds(30))
                .until(
                        EndToEndTest::scrape,
                        text -> text.contains("sensor_finished_total{") && text.contains("phase=\"succeeded\""));

        assertThat(body)
                .containsPattern("sensor_finished_total\\{[^}]*phase=\"succeeded\"[^}]*} [1-9]")
                .contains("temporal_request_total")
                .contains("jvm_memory_used_bytes")
                .containsPattern("sensor_pokes_total\\{[^}]*result=\"ready\"")
                .contains("sensor_poke_latency_seconds_bucket{");
    }

    @Test
    void liveSensorsAreCounted() throws Exception {
        ByteString meta = create(fileSensor(root.resolve("never").toString(), "exec-live", 0));
        awaitResource(meta, r -> r.getMessage().contains("does not exist"));

        // By sensor: the real server's visibility records carry the memo that names it.
        String body = await().atMost(Duration.ofSeconds(30))
                .until(
                        EndToEndTest::scrape,
                        text -> Pattern.compile(
                                        "sensor_live\\{sensor=\"flytekit.sensor.file_sensor.FileSensor\"} [1-9]")
                                .matcher(text)
                                .find());

        assertThat(body).contains("# TYPE sensor_live gauge");
        delete(meta);
    }

    @Test
    void metricSeriesStayBoundedWhateverSensorNamesTasksBring() throws Exception {
        List<ByteString> metas = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            metas.add(create(FlytekitSensorTasks.createRequest(FlytekitSensorTasks.Task.of(
                    "exec-names-" + i, "team" + i + ".sensors", "Sensor" + i, Map.of("path", "x")))));
        }
        await().atMost(Duration.ofSeconds(90))
                .until(() -> metas.stream().allMatch(meta -> get(meta).getPhase() == Phase.FAILED));

        // The SDK's metrics (sensor_finished) flush every 10 s.
        Pattern finishedAsOther = Pattern.compile("sensor_finished_total\\{[^}]*sensor=\"other\"");
        String body = await().atMost(Duration.ofSeconds(30))
                .until(
                        EndToEndTest::scrape,
                        text -> finishedAsOther.matcher(text).find());

        assertThat(body).doesNotContainPattern("Sensor[0-9]+");
        Set<String> labels = Pattern.compile("sensor=\"([^\"]*)\"")
                .matcher(body)
                .results()
                .map(match -> match.group(1))
                .collect(Collectors.toSet());
        assertThat(labels)
                .contains(SensorNames.OTHER)
                .hasSizeLessThanOrEqualTo(SensorRegistry.load().names().size() + 1);
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

    private static CreateTaskRequest fileSensor(String path, String execution, int attempt) {
        return FlytekitSensorTasks.createRequest(
                FlytekitSensorTasks.Task.fileSensor(execution, path).withRetryAttempt(attempt));
    }

    private static CreateTaskRequest withConfig(String execution, Map<String, Object> config) {
        return withPathAndConfig(root.resolve("x").toString(), execution, config);
    }

    private static CreateTaskRequest withPathAndConfig(String path, String execution, Map<String, Object> config) {
        return FlytekitSensorTasks.createRequest(
                FlytekitSensorTasks.Task.fileSensor(execution, path).withSensorConfig(new LinkedHashMap<>(config)));
    }

    private static ByteString create(CreateTaskRequest request) {
        return agent.createTask(request).getResourceMeta();
    }

    private static Resource get(ByteString meta) {
        return get(meta, "");
    }

    private static Resource get(ByteString meta, String outputPrefix) {
        return agent.getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .setOutputPrefix(outputPrefix)
                        .build())
                .getResource();
    }

    /** Removes a workflow and its history from Temporal, as retention does once it expires. */
    private static void purge(String workflowId) {
        WorkflowServiceStubs temporal = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(RealTemporal.shared())
                .build());
        try {
            temporal.blockingStub()
                    .deleteWorkflowExecution(DeleteWorkflowExecutionRequest.newBuilder()
                            .setNamespace("default")
                            .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                            .build());
        } finally {
            temporal.shutdownNow();
        }
        // The server deletes asynchronously, in 20 to 30 s on the dev server.
        await().atMost(Duration.ofSeconds(90)).until(() -> describe(workflowId) == Status.Code.NOT_FOUND);
    }

    /** OK when Temporal holds the workflow, else the code of its answer. */
    private static Status.Code describe(String workflowId) {
        WorkflowServiceStubs temporal = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(RealTemporal.shared())
                .build());
        try {
            temporal.blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace("default")
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                            .build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            temporal.shutdownNow();
        }
    }

    private static void delete(ByteString meta) {
        agent.deleteTask(DeleteTaskRequest.newBuilder()
                .setTaskCategory(SENSOR)
                .setResourceMeta(meta)
                .build());
    }

    private static List<GetTaskLogsResponse> logs(ByteString meta, int lines) {
        List<GetTaskLogsResponse> responses = new ArrayList<>();
        agent.getTaskLogs(GetTaskLogsRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .setLines(lines)
                        .build())
                .forEachRemaining(responses::add);
        return responses;
    }

    private static Resource awaitResource(ByteString meta, Predicate<Resource> condition) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> get(meta), condition);
    }

    private static ByteString forgedMeta(String workflowId) {
        SensorSpec spec = new SensorSpec(
                "m",
                "FileSensor",
                Map.of(),
                Map.of(),
                new PokePolicy(Duration.ofSeconds(1), Backoff.FIXED, Duration.ofSeconds(1), Duration.ofHours(1)),
                Instant.now());
        return ByteString.copyFrom(new ResourceMetaCodec("default", RequestLimits.DEFAULTS)
                .encode(new ResourceMeta(ResourceMeta.VERSION, "default", workflowId, spec)));
    }

    private static ServingStatus health(String serviceName) {
        return HealthGrpc.newBlockingStub(running.channel())
                .check(HealthCheckRequest.newBuilder().setService(serviceName).build())
                .getStatus();
    }

    private static void assertStatus(Runnable call, Status.Code code, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(messagePart);
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
