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
import dev.sensorengine.testing.PythonWorker;
import dev.sensorengine.testing.RealTemporal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python sensor worker's outages, with the service jar as a process, the Python worker as a process and a real
 * Temporal dev server: a {@code kill -9} with sensors waiting loses none of them, and with no worker at all GetTask
 * names the queue nobody polls while the sensor's deadline still ends it.
 *
 * <p>The sensors are {@code compat/example_sensors.JournalSensor}: each poke notes its begin and end (process id, epoch
 * ms) in a shared journal, from which the test tells whether two pokes of one sensor ever ran at once.
 */
class PythonWorkerIT {

    private static final int SENSORS = 50;
    private static final String QUEUE = "flyte-sensors-python";

    @TempDir
    Path work;

    @Test
    void killNineOfTheWorkerWithFiftySensorsWaitingLosesNoneAndPokesNoneTwiceAtOnce() throws Exception {
        Path journal = work.resolve("pokes.journal");
        Path data = Files.createDirectories(work.resolve("data"));
        try (TemporalDevServer temporal = RealTemporal.start(work.resolve("temporal"));
                ServiceProcess service = ServiceProcess.start(
                        List.of(), work.resolve("service.log"), "--temporal-target", temporal.target())) {
            AsyncAgentServiceBlockingStub agent = AsyncAgentServiceGrpc.newBlockingStub(service.channel);
            PythonWorker first = PythonWorker.start(temporal.target(), QUEUE, work.resolve("worker-1.log"));
            PythonWorker second = null;
            try {
                List<ByteString> metas = new ArrayList<>();
                for (int i = 0; i < SENSORS; i++) {
                    metas.add(agent.createTask(FlytekitSensorTasks.createRequest(journalSensor(
                                    "kill-" + i,
                                    Map.of(
                                            "journal",
                                            journal.toString(),
                                            "id",
                                            "s" + i,
                                            "path",
                                            data.resolve("f" + i).toString()),
                                    Optional.empty())))
                            .getResourceMeta());
                }
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> metas.stream()
                                .allMatch(meta -> get(agent, meta).getMessage().contains("poke returned False")));

                first.kill();
                long killed = first.pid();
                // Half of the sensors see their file while no worker runs; the other half after one is back.
                for (int s = 0; s < SENSORS; s += 2) {
                    Files.writeString(data.resolve("f" + s), "while no worker ran");
                }
                second = PythonWorker.start(temporal.target(), QUEUE, work.resolve("worker-2.log"));
                for (int s = 1; s < SENSORS; s += 2) {
                    Files.writeString(data.resolve("f" + s), "after the new worker started");
                }

                // Pokes in flight at the kill come back after the activity's start-to-close timeout (1 minute).
                await().atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() ->
                                metas.stream().allMatch(meta -> get(agent, meta).getPhase() == Phase.SUCCEEDED));

                List<String> lines = Files.readAllLines(journal);
                assertThat(overlappingPokes(lines, killed))
                        .as("pokes of one sensor at once")
                        .isEmpty();
                assertThat(sensorsPokedBy(lines, second.pid()))
                        .as("sensors the new worker carried on")
                        .hasSize(SENSORS);
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    @Test
    void withNoWorkerGetTaskNamesTheQueueAndTheSensorStillTimesOutAtItsDeadline() throws Exception {
        String unpolled = "python-sensors-nobody-polls";
        try (TemporalDevServer temporal = RealTemporal.start(work.resolve("temporal"));
                ServiceProcess service = ServiceProcess.start(
                        List.of(),
                        work.resolve("service.log"),
                        "--temporal-target",
                        temporal.target(),
                        "--python-task-queue",
                        unpolled)) {
            AsyncAgentServiceBlockingStub agent = AsyncAgentServiceGrpc.newBlockingStub(service.channel);
            ByteString meta = agent.createTask(FlytekitSensorTasks.createRequest(journalSensor(
                            "nobody",
                            Map.of("journal", work.resolve("unused").toString(), "id", "s", "path", "/nowhere"),
                            Optional.of(Duration.ofSeconds(10)))))
                    .getResourceMeta();

            Resource waiting = get(agent, meta);
            assertThat(waiting.getPhase()).isEqualTo(Phase.RUNNING);
            assertThat(waiting.getMessage())
                    .startsWith(
                            "waiting for a Python sensor worker on task queue " + unpolled + " \u2014 none is polling")
                    .contains("times out in");

            Resource timedOut = await().atMost(Duration.ofSeconds(40))
                    .until(() -> get(agent, meta), r -> r.getPhase() != Phase.RUNNING);
            assertThat(timedOut.getPhase()).isEqualTo(Phase.FAILED);
            assertThat(timedOut.getMessage()).startsWith("failed: timed out");
        }
    }

    private static FlytekitSensorTasks.Task journalSensor(
            String execution, Map<String, ?> inputs, Optional<Duration> timeout) {
        return new FlytekitSensorTasks.Task(
                "p",
                "d",
                execution,
                "n0",
                0,
                "example_sensors",
                "JournalSensor",
                Map.of("poke_interval", "1s"),
                inputs,
                timeout);
    }

    /**
     * Sensors with two pokes at once: a poke that begins while another of the same sensor has begun and not ended,
     * unless that one ran in the killed worker, which died with it.
     */
    private static List<String> overlappingPokes(List<String> lines, long killedPid) {
        Map<String, String[]> open = new HashMap<>();
        List<String> overlaps = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split(" "); // begin|end, sensor id, pid, epoch ms
            String id = parts[1];
            if (parts[0].equals("begin")) {
                String[] before = open.get(id);
                if (before != null && Long.parseLong(before[2]) != killedPid) {
                    overlaps.add(id + " began at " + parts[3] + " in " + parts[2] + " while a poke begun at "
                            + before[3] + " in " + before[2] + " ran");
                }
                open.put(id, parts);
            } else {
                open.remove(id);
            }
        }
        return overlaps;
    }

    private static Set<String> sensorsPokedBy(List<String> lines, long pid) {
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts[0].equals("begin") && Long.parseLong(parts[2]) == pid) {
                ids.add(parts[1]);
            }
        }
        return ids;
    }

    private static Resource get(AsyncAgentServiceBlockingStub agent, ByteString meta) {
        return agent.withDeadlineAfter(10, TimeUnit.SECONDS)
                .getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(TaskCategory.newBuilder().setName("sensor"))
                        .setResourceMeta(meta)
                        .build())
                .getResource();
    }
}
