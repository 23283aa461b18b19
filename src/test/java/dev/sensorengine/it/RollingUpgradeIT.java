package dev.sensorengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.TemporalDevServer;
import dev.sensorengine.testing.RealTemporal;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling upgrade with sensors waiting: two worker processes on the real Temporal server are replaced one by one
 * (each stopped as Kubernetes stops a pod, then its successor started), while an API replica answers propeller's
 * GetTask calls throughout. Nothing is lost, nothing is poked twice at once, and no GetTask fails.
 *
 * <p>The successors run the same build: what a different build brings to a waiting sensor is replay of its
 * history, which {@code workflow.RecordedHistoriesReplayTest} checks against histories recorded on earlier builds.
 */
class RollingUpgradeIT {

    private static final int SENSORS = 100;

    /** Notes in a shared log when each poke of each sensor begins and ends (epoch ms), for overlap checks. */
    private static final String NOTING_SENSOR = """
            package com.example.sensors;

            import dev.sensorengine.sensors.*;
            import java.nio.file.*;
            import java.util.Map;
            import java.util.Set;

            public final class NotingSensor implements Sensor {
                @Override
                public Set<String> names() {
                    return Set.of("NotingSensor");
                }

                @Override
                public PokeResult poke(PokeRequest request, SensorEnvironment environment) throws Exception {
                    Path log = Path.of(request.inputValues().string("log"));
                    String id = request.inputValues().string("id");
                    note(log, "begin " + id + " " + System.currentTimeMillis());
                    Thread.sleep(150);
                    boolean ready = Files.exists(Path.of(request.inputValues().string("path")));
                    note(log, "end " + id + " " + System.currentTimeMillis());
                    return ready ? PokeResult.ready("there", Map.of()) : PokeResult.notReady(id + " not yet");
                }

                private static synchronized void note(Path log, String line) throws Exception {
                    Files.writeString(log, line + "\\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
            """;

    @TempDir
    Path work;

    @Test
    void replacingWorkersOneByOneLosesNothingAndFailsNoGet() throws Exception {
        Path jar = SensorJars.build(work, "com.example.sensors.NotingSensor", NOTING_SENSOR);
        Path pokes = work.resolve("pokes.log");
        Path data = Files.createDirectories(work.resolve("data"));
        TemporalDevServer temporal = RealTemporal.start(work.resolve("temporal"));
        String[] worker = {"--role", "worker", "--temporal-target", temporal.target(), "--shutdown-grace", "20s"};
        List<ServiceProcess> workers = new ArrayList<>();
        try (ServiceProcess api = ServiceProcess.start(
                List.of(jar), work.resolve("api.log"), "--role", "api", "--temporal-target", temporal.target())) {
            workers.add(ServiceProcess.start(List.of(jar), work.resolve("worker-a.log"), worker));
            workers.add(ServiceProcess.start(List.of(jar), work.resolve("worker-b.log"), worker));
            AsyncAgentServiceBlockingStub agent = AsyncAgentServiceGrpc.newBlockingStub(api.channel);
            List<ByteString> metas = new ArrayList<>();
            for (int i = 0; i < SENSORS; i++) {
                metas.add(agent.createTask(FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                                "p",
                                "d",
                                "roll-" + i,
                                "n0",
                                0,
                                "com.example.sensors",
                                "NotingSensor",
                                Map.of("poke_interval", "1s"),
                                Map.of(
                                        "log",
                                        pokes.toString(),
                                        "id",
                                        "s" + i,
                                        "path",
                                        data.resolve("f" + i).toString()),
                                Optional.empty())))
                        .getResourceMeta());
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> metas.stream()
                            .allMatch(meta -> get(agent, meta).getMessage().contains("not yet")));

            // Propeller's side: GetTask for every sensor, over and over, through the whole roll.
            Propeller propeller = new Propeller(agent, metas);
            Thread calls = new Thread(propeller, "propeller");
            calls.start();
            for (int i = 0; i < 2; i++) {
                assertThat(workers.get(i).stop()).as("a drained stop exits 0").isZero();
                workers.set(i, ServiceProcess.start(List.of(jar), work.resolve("worker-" + i + "-new.log"), worker));
                // Half of the sensors see their file while the roll is under way.
                for (int s = i; s < SENSORS; s += 4) {
                    Files.writeString(data.resolve("f" + s), "during the roll");
                }
            }
            for (int s = 0; s < SENSORS; s++) {
                if (!Files.exists(data.resolve("f" + s))) {
                    Files.writeString(data.resolve("f" + s), "after the roll");
                }
            }
            await().atMost(Duration.ofSeconds(120))
                    .until(() ->
                            metas.stream().allMatch(meta -> get(agent, meta).getPhase() == Phase.SUCCEEDED));
            propeller.stop();
            calls.join();

            assertThat(propeller.failures)
                    .as("GetTask calls that failed, of %d", propeller.calls.get())
                    .isEmpty();
            assertThat(propeller.calls.get()).isGreaterThan(SENSORS);
            assertThat(overlappingPokes(pokes))
                    .as("pokes of one sensor at once")
                    .isEmpty();
        } finally {
            for (ServiceProcess process : workers) {
                process.close();
            }
            temporal.close();
        }
    }

    /** Sensors with two pokes at once: a begin before the previous poke's end. */
    private static List<String> overlappingPokes(Path log) throws Exception {
        Map<String, Long> open = new HashMap<>();
        List<String> overlaps = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] parts = line.split(" ");
            String id = parts[1];
            long at = Long.parseLong(parts[2]);
            if (parts[0].equals("begin")) {
                if (open.containsKey(id)) {
                    overlaps.add(id + " began at " + at + " while a poke begun at " + open.get(id) + " ran");
                }
                open.put(id, at);
            } else {
                open.remove(id);
            }
        }
        return overlaps;
    }

    private static Resource get(AsyncAgentServiceBlockingStub agent, ByteString meta) {
        return agent.withDeadlineAfter(10, TimeUnit.SECONDS)
                .getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(TaskCategory.newBuilder().setName("sensor"))
                        .setResourceMeta(meta)
                        .build())
                .getResource();
    }

    /** GetTask for every sensor in turn, as propeller's cache refresher, recording each failure. */
    private static final class Propeller implements Runnable {
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger calls = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AsyncAgentServiceBlockingStub agent;
        private final List<ByteString> metas;

        Propeller(AsyncAgentServiceBlockingStub agent, List<ByteString> metas) {
            this.agent = agent;
            this.metas = metas;
        }

        @Override
        public void run() {
            while (running.get()) {
                for (ByteString meta : metas) {
                    try {
                        get(agent, meta);
                    } catch (StatusRuntimeException e) {
                        failures.add(e.getStatus().toString());
                    }
                    calls.incrementAndGet();
                }
            }
        }

        void stop() {
            running.set(false);
        }
    }
}
