package dev.sensorengine.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.events.EventSettings;
import dev.sensorengine.events.SqsSettings;
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
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on the real Temporal dev server: the service's own file watch (an event source) hands the new file to
 * the engine's waker, which finds the hourly FileSensor waiting for it through visibility and wakes it; only that
 * wake explains its success within seconds.
 */
class FileWatchWakeTest {

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();

    @TempDir
    Path root;

    @Test
    void aNewFileEndsAnHourlyFileSensorWithinSeconds() throws Exception {
        try (SensorEngineService service = SensorEngineService.start(ServiceConfig.inProcess("events-file-watch")
                .temporalTarget(RealTemporal.shared())
                .searchAttributes(true)
                .fileRoots(List.of(root))
                .events(new EventSettings(Optional.empty(), SqsSettings.NONE, true))
                .build())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                    .usePlaintext()
                    .build();
            try {
                var agent = AsyncAgentServiceGrpc.newBlockingStub(channel);
                Path file = root.resolve("_SUCCESS");
                ByteString meta = agent.createTask(FlytekitSensorTasks.createRequest(
                                FlytekitSensorTasks.Task.fileSensor("file-watch-" + System.nanoTime(), file.toString())
                                        .withSensorConfig(Map.of("poke_interval", "1h"))))
                        .getResourceMeta();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> "1"
                                .equals(Structs.toMap(get(agent, meta).getCustomInfo())
                                        .get("pokes")));

                Files.writeString(file, "done");

                Resource done = await().atMost(Duration.ofSeconds(30))
                        .until(() -> get(agent, meta), r -> r.getPhase() != Phase.RUNNING);
                assertThat(done.getPhase()).isEqualTo(Phase.SUCCEEDED);
                assertThat(Structs.toMap(done.getCustomInfo())).containsEntry("wakes", "1");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static Resource get(AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent, ByteString meta) {
        return agent.getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .build())
                .getResource();
    }
}
