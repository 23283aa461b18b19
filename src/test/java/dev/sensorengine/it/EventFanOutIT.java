package dev.sensorengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.engine.ObjectEvent;
import dev.sensorengine.engine.TemporalUnavailableException;
import dev.sensorengine.engine.WakeReport;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.RealTemporal;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
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
 * A busy bucket: 1,000 waiting FileSensors under one directory, of which 10 (prefix and glob) match an event's
 * object. The event wakes exactly those 10, on the real Temporal dev server; the exact sensors of the bucket are never
 * even listed, and the non-matching prefix and glob ones are filtered in Java as their pokes would match.
 */
class EventFanOutIT {

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();
    private static final String QUEUE = "events-fan-out";

    @TempDir
    Path root;

    @Test
    void anEventInABucketOfAThousandWaitingSensorsWakesTheTenThatMatch() throws Exception {
        try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess(QUEUE)
                .temporalTarget(RealTemporal.shared())
                .searchAttributes(true)
                .fileRoots(List.of(root))
                .build())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                    .usePlaintext()
                    .build();
            var agent = AsyncAgentServiceGrpc.newBlockingStub(channel);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<String[]> sensors = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    sensors.add(new String[] {root.resolve("match") + "/", "prefix", "match-prefix-" + i});
                    sensors.add(new String[] {root.resolve("match") + "/*.csv", "glob", "match-glob-" + i});
                }
                for (int i = 0; i < 245; i++) {
                    sensors.add(new String[] {root.resolve("other-" + i) + "/", "prefix", "other-prefix-" + i});
                    sensors.add(new String[] {root.resolve("match") + "/*.parquet-" + i, "glob", "other-glob-" + i});
                }
                for (int i = 0; i < 500; i++) {
                    sensors.add(new String[] {root.resolve("exact-" + i).toString(), "exact", "other-exact-" + i});
                }
                assertThat(sensors).hasSize(1000);
                List<Future<ByteString>> created = new ArrayList<>();
                for (String[] sensor : sensors) {
                    created.add(pool.submit(() -> agent.createTask(FlytekitSensorTasks.createRequest(
                                    FlytekitSensorTasks.Task.fileSensor("fan-out-" + sensor[2], sensor[0])
                                            .withSensorConfig(Map.of("poke_interval", "1h", "match", sensor[1]))))
                            .getResourceMeta()));
                }
                List<ByteString> metas = new ArrayList<>();
                for (Future<ByteString> meta : created) {
                    metas.add(meta.get(2, TimeUnit.MINUTES));
                }
                // Visibility is eventually consistent: the event is sent once it lists all of them.
                await().atMost(Duration.ofMinutes(2)).until(() -> running() == 1000);

                // As a source does, the event is retried while Temporal is too busy to answer (a loaded machine).
                ObjectEvent event = new ObjectEvent(
                        "test", "fan-out", root.resolve("match/part-0.csv").toString(), Instant.now());
                WakeReport report = await().atMost(Duration.ofMinutes(2))
                        .ignoreException(TemporalUnavailableException.class)
                        .until(() -> service.eventWaker().orElseThrow().wake(event), r -> true);

                assertThat(report).isEqualTo(new WakeReport(10, 10, 0));
                // Each of the ten pokes once more at once, and stays waiting (no file there): a wake decides nothing.
                for (int i = 0; i < 10; i++) {
                    ByteString meta = metas.get(i);
                    await().atMost(Duration.ofSeconds(60)).until(() -> pokes(agent, meta) == 2);
                }
                // The rest were not woken: at most their first, hourly poke (on a loaded machine, maybe not yet that).
                for (int i = 10; i < metas.size(); i += 97) {
                    assertThat(pokes(agent, metas.get(i))).as("sensor %d", i).isLessThanOrEqualTo(1);
                }
                List<Future<?>> deleted = new ArrayList<>();
                for (ByteString meta : metas) {
                    deleted.add(pool.submit(() -> agent.deleteTask(DeleteTaskRequest.newBuilder()
                            .setTaskCategory(SENSOR)
                            .setResourceMeta(meta)
                            .build())));
                }
                for (Future<?> delete : deleted) {
                    delete.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static long pokes(AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent, ByteString meta) {
        var resource = agent.getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .build())
                .getResource();
        return Long.parseLong(
                String.valueOf(Structs.toMap(resource.getCustomInfo()).get("pokes")));
    }

    private static long running() {
        WorkflowServiceStubs temporal = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(RealTemporal.shared())
                .build());
        try {
            return temporal.blockingStub()
                    .countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
                            .setNamespace("default")
                            .setQuery("TaskQueue = '" + QUEUE + "' AND ExecutionStatus = 'Running'")
                            .build())
                    .getCount();
        } finally {
            temporal.shutdownNow();
        }
    }
}
