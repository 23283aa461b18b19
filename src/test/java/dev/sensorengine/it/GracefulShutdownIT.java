package dev.sensorengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.TemporalDevServer;
import dev.sensorengine.testing.RealTemporal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM drains: a poke under way finishes and its result reaches Temporal, and the process exits 0. */
class GracefulShutdownIT {

    /** Takes three seconds per poke and notes in its marker file when each poke begins and ends (epoch ms). */
    private static final String SLOW_SENSOR = """
            package com.example.sensors;

            import dev.sensorengine.sensors.*;
            import java.nio.file.*;
            import java.util.Map;
            import java.util.Set;

            public final class SlowSensor implements Sensor {
                @Override
                public Set<String> names() {
                    return Set.of("SlowSensor");
                }

                @Override
                public PokeResult poke(PokeRequest request, SensorEnvironment environment) throws Exception {
                    Path marker = Path.of(request.inputValues().string("marker"));
                    Files.writeString(marker, "begin " + System.currentTimeMillis() + "\\n",
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    Thread.sleep(3000);
                    Files.writeString(marker, "end " + System.currentTimeMillis() + "\\n",
                            StandardOpenOption.APPEND);
                    return PokeResult.ready("slow but sure", Map.of());
                }
            }
            """;

    @TempDir
    Path work;

    @Test
    void aStopLetsThePokeUnderWayFinish() throws Exception {
        Path jar = SensorJars.build(work, "com.example.sensors.SlowSensor", SLOW_SENSOR);
        Path marker = work.resolve("poking");
        // Temporal in its own process, as in production: only the service is stopped.
        TemporalDevServer temporal = RealTemporal.start(work.resolve("temporal"));
        String[] serve = {"--temporal-target", temporal.target(), "--shutdown-grace", "20s"};
        try {
            ByteString meta;
            ServiceProcess service = ServiceProcess.start(List.of(jar), work.resolve("service.log"), serve);
            try {
                meta = AsyncAgentServiceGrpc.newBlockingStub(service.channel)
                        .createTask(FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                                "p",
                                "d",
                                "exec-slow",
                                "n0",
                                0,
                                "m",
                                "SlowSensor",
                                Map.of(),
                                Map.of("marker", marker.toString()),
                                Optional.empty())))
                        .getResourceMeta();
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(marker));

                long stopAt = System.currentTimeMillis();
                int exit = service.stop();

                assertThat(exit).isZero();
                // The stop began while the poke ran, and the poke still finished.
                assertThat(Files.readAllLines(marker)).hasSize(2);
                assertThat(moment(marker, "begin")).isLessThan(stopAt);
                assertThat(moment(marker, "end")).isGreaterThan(stopAt);
                assertThat(Files.readString(service.log()))
                        .contains("Sensor Engine stopping")
                        .contains("Sensor Engine stopped");
            } finally {
                service.close();
            }
            // The poke under way when the stop came finished and Temporal kept its result: the next worker completes
            // the sensor from it without poking again.
            try (ServiceProcess next = ServiceProcess.start(List.of(jar), work.resolve("next.log"), serve)) {
                var agent = AsyncAgentServiceGrpc.newBlockingStub(next.channel);
                Resource resource = await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> agent.withDeadlineAfter(10, TimeUnit.SECONDS)
                                        .getTask(GetTaskRequest.newBuilder()
                                                .setResourceMeta(meta)
                                                .setTaskCategory(TaskCategory.newBuilder()
                                                        .setName("sensor"))
                                                .build())
                                        .getResource(),
                                r -> r.getPhase() != Phase.RUNNING);
                assertThat(resource.getPhase()).isEqualTo(Phase.SUCCEEDED);
                assertThat(resource.getMessage()).contains("slow but sure");
                assertThat(Files.readAllLines(marker))
                        .as("one poke, begun and ended")
                        .hasSize(2);
            }
        } finally {
            temporal.close();
        }
    }

    private static long moment(Path marker, String event) throws IOException {
        return Files.readAllLines(marker).stream()
                .filter(line -> line.startsWith(event + " "))
                .mapToLong(line -> Long.parseLong(line.substring(event.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no '" + event + "' in " + marker));
    }
}
