package dev.sensorengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.engine.ObjectEvent;
import dev.sensorengine.engine.TemporalUnavailableException;
import dev.sensorengine.engine.WakeReport;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.SensorWorkflow;
import dev.sensorengine.workflow.WakeSignal;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One sensor woken 15,000 times on the real Temporal dev server: 10,000 events through the service's waker, which
 * lets at most one signal a second through to one sensor, and 5,000 signals sent straight to it, as many replicas
 * would. Every run stays far below Temporal's history limits (it continues as new, carrying its pokes and wakes),
 * GetTask reads it across runs under one workflow id, and it still ends correctly when its object appears.
 */
class WakeHistoryBoundIT {

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();
    /** Where Temporal starts warning about a run's history; it stops a run at 51,200 events. */
    private static final long TEMPORAL_HISTORY_WARNING = 10_240;

    private static final int WAKES = 10_000;

    @TempDir
    Path root;

    @Test
    void tenThousandWakesKeepEveryRunShortAndTheSensorStillEnds() throws Exception {
        try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess("events-history-bound")
                .temporalTarget(RealTemporal.shared())
                .searchAttributes(true)
                .fileRoots(List.of(root))
                .build())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                    .usePlaintext()
                    .build();
            WorkflowServiceStubs temporal =
                    WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                            .setTarget(RealTemporal.shared())
                            .build());
            ExecutorService senders = Executors.newFixedThreadPool(8);
            try {
                var agent = AsyncAgentServiceGrpc.newBlockingStub(channel);
                Path file = root.resolve("flood/_SUCCESS");
                ByteString meta = agent.createTask(FlytekitSensorTasks.createRequest(
                                FlytekitSensorTasks.Task.fileSensor("flood-" + System.nanoTime(), file.toString())
                                        .withSensorConfig(Map.of("poke_interval", "1h"))))
                        .getResourceMeta();
                String workflowId = String.valueOf(info(agent, meta).get("workflow_id"));
                WorkflowClient client = WorkflowClient.newInstance(
                        temporal,
                        WorkflowClientOptions.newBuilder()
                                .setDataConverter(Json.dataConverter())
                                .build());

                // 10,000 events through the service's waker, from eight senders at once: at most a signal a second
                // reaches the sensor (engine.WakeThrottle); the rest ride on those.
                List<Future<WakeReport>> reports = new ArrayList<>();
                for (int i = 0; i < WAKES; i++) {
                    ObjectEvent event = new ObjectEvent("flood", "e" + i, file.toString(), Instant.now());
                    reports.add(senders.submit(() -> await().atMost(Duration.ofMinutes(2))
                            .ignoreException(TemporalUnavailableException.class)
                            .until(() -> service.eventWaker().orElseThrow().wake(event), r -> true)));
                }
                long signalled = 0;
                for (Future<WakeReport> report : reports) {
                    WakeReport done = report.get(10, TimeUnit.MINUTES);
                    assertThat(done.matched()).isEqualTo(1);
                    signalled += done.woken();
                }
                long throttled = signalled;
                await().atMost(Duration.ofMinutes(5))
                        .until(() -> String.valueOf(throttled)
                                .equals(info(agent, meta).get("wakes")));
                assertThat(runs(temporal, workflowId))
                        .singleElement()
                        .satisfies(run -> assertThat(run.getHistoryLength()).isLessThan(TEMPORAL_HISTORY_WARNING / 2));

                // Then 5,000 wake signals sent straight to it, as many replicas of the service would, in bursts of 250
                // with a pause between: the run continues as new whenever its history passes 2,000 events.
                for (int burst = 0; burst < 20; burst++) {
                    List<Future<?>> sent = new ArrayList<>();
                    for (int i = 0; i < 250; i++) {
                        WakeSignal wake =
                                new WakeSignal("replicas", "r" + burst + "-" + i, file.toString(), Instant.now());
                        sent.add(senders.submit(
                                () -> client.newUntypedWorkflowStub(workflowId).signal(SensorWorkflow.WAKE, wake)));
                    }
                    for (Future<?> signal : sent) {
                        signal.get(5, TimeUnit.MINUTES);
                    }
                    long expected = signalled + 250L * (burst + 1);
                    await().atMost(Duration.ofMinutes(2))
                            .until(() -> String.valueOf(expected)
                                    .equals(info(agent, meta).get("wakes")));
                }
                signalled += 5_000;

                List<WorkflowExecutionInfo> runs = runs(temporal, workflowId);
                assertThat(runs).as("runs carried on by continue-as-new").hasSizeGreaterThan(2);
                assertThat(runs)
                        .allSatisfy(run -> assertThat(run.getHistoryLength())
                                .as("history of run %s", run.getExecution().getRunId())
                                .isLessThan(TEMPORAL_HISTORY_WARNING / 2));

                Files.createDirectories(file.getParent());
                Files.writeString(file, "done");
                ObjectEvent last = new ObjectEvent("test", "the-object", file.toString(), Instant.now());
                await().atMost(Duration.ofMinutes(2))
                        .ignoreException(TemporalUnavailableException.class)
                        .until(() ->
                                service.eventWaker().orElseThrow().wake(last).woken() == 1);
                Resource done = await().atMost(Duration.ofMinutes(2))
                        .until(() -> get(agent, meta), r -> r.getPhase() != Phase.RUNNING);

                assertThat(done.getPhase()).isEqualTo(Phase.SUCCEEDED);
                assertThat(done.getMessage()).contains("found " + file);
                Map<String, Object> info = Structs.toMap(done.getCustomInfo());
                long total = signalled + 1;
                assertThat(info).containsEntry("wakes", String.valueOf(total));
                // The first poke, the wake pokes (floods coalesce to one pending wake) and each run's first poke.
                assertThat(Long.parseLong(String.valueOf(info.get("pokes")))).isBetween(2L, total);
                List<String> log = new ArrayList<>();
                agent.getTaskLogs(GetTaskLogsRequest.newBuilder()
                                .setTaskCategory(SENSOR)
                                .setResourceMeta(meta)
                                .build())
                        .forEachRemaining(
                                r -> r.getBody().getStructuredLinesList().forEach(l -> log.add(l.getMessage())));
                assertThat(log).anySatisfy(line -> assertThat(line).contains("woken " + total + " times"));
            } finally {
                senders.shutdownNow();
                temporal.shutdownNow();
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static List<WorkflowExecutionInfo> runs(WorkflowServiceStubs temporal, String workflowId) {
        return temporal.blockingStub()
                .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                        .setNamespace("default")
                        .setQuery("WorkflowId = '" + workflowId + "'")
                        .build())
                .getExecutionsList();
    }

    private static Resource get(AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent, ByteString meta) {
        return agent.getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .build())
                .getResource();
    }

    private static Map<String, Object> info(
            AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent, ByteString meta) {
        return Structs.toMap(get(agent, meta).getCustomInfo());
    }
}
