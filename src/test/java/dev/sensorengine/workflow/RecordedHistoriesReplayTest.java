package dev.sensorengine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded sensor history (open and closed, of every shape, from every build that recorded some with {@link
 * HistoryRecorder}) replays on today's {@link SensorWorkflowImpl} without a nondeterminism error: a sensor that an
 * older build started, and that is still waiting when this build takes over, finishes on this build.
 */
class RecordedHistoriesReplayTest {

    private static TestWorkflowEnvironment env;

    @BeforeAll
    static void start() {
        // Only for its data converter: the replayer decodes the spec with the project's JSON mapping.
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
                        .setDataConverter(Json.dataConverter())
                        .build())
                .build());
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    static Stream<Path> histories() throws IOException, URISyntaxException {
        Path root = Path.of(
                RecordedHistoriesReplayTest.class.getResource("/histories").toURI());
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> found =
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertThat(found).as("recorded histories under %s", root).isNotEmpty();
            return found.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void replaysOnThisBuild(Path history) throws Exception {
        WorkflowReplayer.replayWorkflowExecution(
                WorkflowExecutionHistory.fromJson(Files.readString(history)), env, SensorWorkflowImpl.class);
    }
}
