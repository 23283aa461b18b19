package dev.sensorengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sensors survive the connector and its Temporal: real processes of the built jar and of the Temporal dev server,
 * killed with SIGKILL.
 */
class DurabilityIT {

    private static final int SENSORS = 50;
    /** The poke activity's start-to-close bound, plus room for the next interval. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(180);

    @TempDir
    Path work;

    /**
     * The newcomer's default: {@code serve} runs the Temporal dev server as its child, on a state directory. Killing
     * the service leaves the child behind; killing both loses nothing either; a new {@code serve} on the same
     * directory carries every sensor on, with its poke count and deadline.
     */
    @Test
    void sensorsCarryOnAcrossAHardKillOfTheServiceAndOfItsTemporal() throws Exception {
        Path root = Files.createDirectories(work.resolve("data"));
        int temporalPort = ServiceProcess.freePort();
        String[] serve = {
            "--file-root", root.toString(),
            "--state-dir", work.resolve("state").toString(),
            "--local-temporal-port", Integer.toString(temporalPort)
        };
        List<CreateTaskRequest> requests = new ArrayList<>();
        List<ByteString> metas = new ArrayList<>();
        ByteString timing;
        // When a worker ran, so as to know when the timed sensor's deadline timer can end it.
        List<Instant[]> workerUp = new ArrayList<>();
        Instant started = Instant.now();
        try (ServiceProcess a = ServiceProcess.start(List.of(), work.resolve("a.log"), serve)) {
            var agent = agent(a.channel);
            for (int i = 0; i < SENSORS; i++) {
                requests.add(fileSensor("exec-" + i, root.resolve("f" + i).toString(), Map.of("poke_interval", "1s")));
                metas.add(agent.createTask(requests.get(i)).getResourceMeta());
            }
            timing = agent.createTask(fileSensor(
                            "exec-timeout",
                            root.resolve("never").toString(),
                            Map.of("poke_interval", "1s", "timeout", "40s")))
                    .getResourceMeta();
            await().atMost(Duration.ofSeconds(60)).until(() -> metas.stream().allMatch(m -> pokes(get(agent, m)) >= 2));
            a.kill(); // its Temporal dev server is left running
            workerUp.add(new Instant[] {started, Instant.now()});
        }
        List<Long> pokesBefore = new ArrayList<>();
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < SENSORS; i += 2) {
            Files.writeString(root.resolve("f" + i), "arrived while the connector was down");
        }

        // With no worker anywhere, an API-only replica still answers for every sensor from Temporal's record (the
        // dev server the killed service left behind).
        String[] api = {"--role", "api", "--temporal-target", "127.0.0.1:" + temporalPort};
        try (ServiceProcess replica = ServiceProcess.start(List.of(), work.resolve("api.log"), api)) {
            var agent = agent(replica.channel);
            for (ByteString meta : metas) {
                Resource resource = get(agent, meta);
                assertThat(resource.getPhase()).isEqualTo(Phase.RUNNING);
                pokesBefore.add(pokes(resource));
                runIds.add(info(resource, "run_id"));
            }
        }

        // B stops the server A left behind and starts its own on the same database.
        started = Instant.now();
        try (ServiceProcess b = ServiceProcess.start(List.of(), work.resolve("b.log"), serve)) {
            Instant bUp = Instant.now();
            var agent = agent(b.channel);
            // A poke that A had taken when it was killed comes back only after its one-minute start-to-close
            // timeout (as on any Temporal server), so allow for one such wait.
            await().atMost(AFTER_KILL).until(() -> {
                for (int i = 0; i < SENSORS; i += 2) {
                    if (get(agent, metas.get(i)).getPhase() != Phase.SUCCEEDED) {
                        return false;
                    }
                }
                return true;
            });
            for (int i = 1; i < SENSORS; i += 2) {
                int index = i;
                Resource resource = await().atMost(AFTER_KILL)
                        .until(() -> get(agent, metas.get(index)), r -> pokes(r) > pokesBefore.get(index));
                assertThat(resource.getPhase()).as("sensor %d", i).isEqualTo(Phase.RUNNING);
            }
            // Nothing was created twice: a repeated create lands on the same workflow and run.
            for (int i = 0; i < SENSORS; i++) {
                assertThat(agent.createTask(requests.get(i)).getResourceMeta()).isEqualTo(metas.get(i));
                assertThat(info(get(agent, metas.get(i)), "run_id")).isEqualTo(runIds.get(i));
            }
            b.kill();
            workerUp.add(new Instant[] {bUp, Instant.now()});
        }
        // Everything killed: B and its dev server, mid-sensor.
        ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .arguments()
                        .map(List::of)
                        .orElse(List.of())
                        .contains(work.resolve("state")
                                .resolve("temporal.db")
                                .toAbsolutePath()
                                .toString()))
                .forEach(ProcessHandle::destroyForcibly);

        started = Instant.now();
        try (ServiceProcess c = ServiceProcess.start(List.of(), work.resolve("c.log"), serve)) {
            workerUp.add(new Instant[] {Instant.now(), Instant.MAX});
            var agent = agent(c.channel);
            for (int i = 1; i < SENSORS; i += 2) {
                Files.writeString(root.resolve("f" + i), "arrived after everything was killed");
            }
            await().atMost(AFTER_KILL).until(() -> {
                for (ByteString meta : metas) {
                    if (get(agent, meta).getPhase() != Phase.SUCCEEDED) {
                        return false;
                    }
                }
                return true;
            });
            for (int i = 0; i < SENSORS; i++) {
                Resource resource = get(agent, metas.get(i));
                assertThat(info(resource, "run_id")).as("sensor %d", i).isEqualTo(runIds.get(i));
                assertThat(pokes(resource)).as("sensor %d", i).isGreaterThanOrEqualTo(pokesBefore.get(i));
            }
            // The timeout counts from creation, not from any restart: the sensor ends at its deadline if a worker
            // ran then, else as soon as one (with its Temporal) is back.
            Resource timedOut = await().atMost(Duration.ofSeconds(90))
                    .until(() -> get(agent, timing), r -> r.getPhase() != Phase.RUNNING);
            assertThat(timedOut.getPhase()).isEqualTo(Phase.FAILED);
            assertThat(timedOut.getMessage()).contains("timed out");
            Instant deadline = Instant.parse(info(timedOut, "deadline"));
            Instant due = workerUp.stream()
                    .filter(up -> up[1].isAfter(deadline))
                    .map(up -> up[0].isAfter(deadline) ? up[0] : deadline)
                    .findFirst()
                    .orElseThrow();
            assertThat(Instant.parse(info(timedOut, "ended_at")))
                    .as("deadline %s, due %s with the workers up %s", deadline, due, workerUp)
                    .isBetween(deadline, due.plusSeconds(5));
        }
    }

    @Test
    void anInMemoryServerThatLostItsStateReadoptsEachSensorWithItsDeadline() throws Exception {
        Path root = Files.createDirectories(work.resolve("data"));
        int port = ServiceProcess.freePort();
        int temporalPort = ServiceProcess.freePort();
        String[] serve = {
            "--file-root", root.toString(),
            "--temporal-target", "in-memory",
            "--local-temporal-port", Integer.toString(temporalPort)
        };
        ByteString meta;
        String deadline;
        String runId;
        try (ServiceProcess first = ServiceProcess.startOnPort(port, List.of(), work.resolve("first.log"), serve)) {
            var agent = agent(first.channel);
            meta = agent.createTask(fileSensor(
                            "exec-in-memory", root.resolve("later").toString(), Map.of("poke_interval", "1s")))
                    .getResourceMeta();
            Resource running = await().atMost(Duration.ofSeconds(30)).until(() -> get(agent, meta), r -> pokes(r) >= 1);
            deadline = info(running, "deadline");
            runId = info(running, "run_id");
            first.kill();
        }
        try (ServiceProcess second = ServiceProcess.startOnPort(port, List.of(), work.resolve("second.log"), serve)) {
            var agent = agent(second.channel);

            Resource adopted = get(agent, meta);

            assertThat(adopted.getPhase()).isEqualTo(Phase.RUNNING);
            assertThat(info(adopted, "deadline")).isEqualTo(deadline);
            assertThat(info(adopted, "run_id")).isNotEqualTo(runId);
            Files.writeString(root.resolve("later"), "x");
            assertThat(await().atMost(Duration.ofSeconds(30))
                            .until(() -> get(agent, meta), r -> r.getPhase() != Phase.RUNNING)
                            .getPhase())
                    .isEqualTo(Phase.SUCCEEDED);
        }
    }

    private static AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent(ManagedChannel channel) {
        return AsyncAgentServiceGrpc.newBlockingStub(channel);
    }

    private static Resource get(AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent, ByteString meta) {
        return agent.withDeadlineAfter(10, TimeUnit.SECONDS)
                .getTask(GetTaskRequest.newBuilder()
                        .setResourceMeta(meta)
                        .setTaskCategory(TaskCategory.newBuilder().setName("sensor"))
                        .build())
                .getResource();
    }

    private static long pokes(Resource resource) {
        return Long.parseLong(info(resource, "pokes"));
    }

    private static String info(Resource resource, String key) {
        return String.valueOf(Structs.toMap(resource.getCustomInfo()).get(key));
    }

    private static CreateTaskRequest fileSensor(String execution, String path, Map<String, Object> config) {
        return FlytekitSensorTasks.createRequest(
                FlytekitSensorTasks.Task.fileSensor(execution, path).withSensorConfig(config));
    }

    private static String[] concat(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
