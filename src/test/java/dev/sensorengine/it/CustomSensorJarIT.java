package dev.sensorengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.sensorengine.flyteidl.admin.AgentOuterClass;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sensor written outside this project, compiled into its own jar here, and put on the class path of the built
 * service: the service finds it with ServiceLoader and runs it, with no change to the project.
 */
class CustomSensorJarIT {

    private static final String SOURCE = """
            package com.example.sensors;

            import dev.sensorengine.sensors.PokeRequest;
            import dev.sensorengine.sensors.PokeResult;
            import dev.sensorengine.sensors.Sensor;
            import dev.sensorengine.sensors.SensorEnvironment;
            import java.util.Map;
            import java.util.Set;

            public final class AnswerSensor implements Sensor {
                @Override
                public Set<String> names() {
                    return Set.of("acme.sensors.AnswerSensor", "AnswerSensor");
                }

                @Override
                public PokeResult poke(PokeRequest request, SensorEnvironment environment) {
                    String answer = request.inputValues().string("answer");
                    return answer.equals("42")
                            ? PokeResult.ready("the answer is " + answer, Map.of("answer", answer))
                            : PokeResult.notReady(answer + " is not the answer yet");
                }
            }
            """;

    @TempDir
    Path work;

    @Test
    void aSensorFromAnotherJarRunsInTheService() throws Exception {
        Path jar = SensorJars.build(work, "com.example.sensors.AnswerSensor", SOURCE);

        try (ServiceProcess service =
                ServiceProcess.start(List.of(jar), work.resolve("service.log"), "--log-format", "json")) {
            var agent = AsyncAgentServiceGrpc.newBlockingStub(service.channel);
            ByteString ready = agent.createTask(task("exec-42", "42")).getResourceMeta();
            ByteString waiting = agent.createTask(task("exec-41", "41")).getResourceMeta();

            Resource done = await().atMost(Duration.ofSeconds(30))
                    .until(() -> get(agent, ready), r -> r.getPhase() != Phase.RUNNING);
            Resource notYet = await().atMost(Duration.ofSeconds(30))
                    .until(() -> get(agent, waiting), r -> r.getMessage().contains("not the answer"));

            assertThat(done.getPhase()).isEqualTo(Phase.SUCCEEDED);
            assertThat(done.getMessage()).contains("the answer is 42");
            assertThat(notYet.getPhase()).isEqualTo(Phase.RUNNING);
            assertThat(notYet.getMessage()).contains("41 is not the answer yet");
            // With --log-format json every line is one JSON object, the lifecycle lines among them.
            var json = new ObjectMapper();
            List<String> messages = Files.readAllLines(service.log()).stream()
                    .map(line -> {
                        try {
                            return json.readTree(line).path("formattedMessage").asText();
                        } catch (IOException e) {
                            throw new AssertionError("not a JSON log line: " + line, e);
                        }
                    })
                    .toList();
            assertThat(messages)
                    .anySatisfy(m -> assertThat(m).startsWith("sensor succeeded workflow_id=flyte-sensor:p:d:exec-42"));
        }
    }

    private static Resource get(AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent, ByteString meta) {
        return agent.getTask(GetTaskRequest.newBuilder()
                        .setResourceMeta(meta)
                        .setTaskCategory(TaskCategory.newBuilder().setName("sensor"))
                        .build())
                .getResource();
    }

    private static AgentOuterClass.CreateTaskRequest task(String execution, String answer) {
        return FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                "p",
                "d",
                execution,
                "n0",
                0,
                "acme.sensors",
                "AnswerSensor",
                Map.of("poke_interval", "1s"),
                Map.of("answer", answer),
                Optional.empty()));
    }
}
