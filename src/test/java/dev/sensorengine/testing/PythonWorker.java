package dev.sensorengine.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Python sensor worker ({@code sensor-engine-worker}, {@code python/}) as a real OS process, as a deployment runs
 * it beside the service: the tool venv's interpreter (flytekit, the Temporal SDK), this checkout's worker first on
 * {@code PYTHONPATH}, and {@code compat/} too, so that the flytekit fixtures' {@code example_sensors} import.
 *
 * <p>The venv is the system property {@code flytekit.venv} (the pom points it at {@code .tools/venv}). Without it the
 * calling test is skipped, saying why; under CI ({@code CI=true}) it fails instead.
 */
public final class PythonWorker implements AutoCloseable {

    static final String MISSING =
            "no tool venv with flytekit and the Temporal SDK at %s: run scripts/tools.sh " + "(scripts/test.sh does)";

    private final Process process;
    private final Path log;

    private PythonWorker(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a worker polling {@code taskQueue} on {@code target} and waits until Temporal lists it among the queue's
     * pollers, so that a test's first poke does not race its start.
     *
     * @param extraArgs more options of {@code sensor-engine-worker}, e.g. {@code --poke-timeout 5s}
     */
    public static PythonWorker start(String target, String taskQueue, Path log, String... extraArgs)
            throws IOException, InterruptedException {
        Path basedir = basedir();
        List<String> command = new ArrayList<>(List.of(
                python().toString(),
                "-m",
                "sensor_engine_worker.main",
                "--temporal-target",
                target,
                "--task-queue",
                taskQueue,
                "--metrics-port",
                "0",
                "--log-level",
                "DEBUG"));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        // Settings come from the command line here; the test runner's own SENSOR_ENGINE_* must not leak in.
        env.keySet().removeIf(name -> name.startsWith("SENSOR_ENGINE_"));
        // This checkout's worker before the venv's editable install, which may be another checkout's.
        env.put(
                "PYTHONPATH",
                String.join(
                        File.pathSeparator,
                        basedir.resolve("python/src").toString(),
                        basedir.resolve("compat").toString()));
        PythonWorker worker = new PythonWorker(builder.start(), log);
        try {
            worker.awaitPolling(target, taskQueue);
        } catch (RuntimeException | Error e) {
            worker.close();
            throw e;
        }
        return worker;
    }

    /** The process id, which the Python SDK puts in its worker identity ({@code pid@host}). */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL, as {@code kill -9}: no drain, pokes in flight are lost. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the worker logged so far, for failure messages and log assertions. */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as Kubernetes stops a container; kills it when it has not drained within 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void awaitPolling(String target, String taskQueue) {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
        try {
            String identity = process.pid() + "@";
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "the Python worker exited with " + process.exitValue() + ":\n" + tail(logText()));
                        }
                        return stubs
                                .blockingStub()
                                .describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
                                        .setNamespace("default")
                                        .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
                                        .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                                        .build())
                                .getPollersList()
                                .stream()
                                .anyMatch(poller -> poller.getIdentity().startsWith(identity));
                    });
        } finally {
            stubs.shutdownNow();
        }
    }

    private static String tail(String text) {
        return text.length() <= 3000 ? text : text.substring(text.length() - 3000);
    }

    private static Path basedir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    /** The venv's interpreter; skips the calling test (fails it under CI) when there is none. */
    private static Path python() {
        Path venv = Path.of(System.getProperty(
                "flytekit.venv", basedir().resolve(".tools/venv").toString()));
        Path python = venv.resolve("bin/python");
        boolean present = Files.isExecutable(python);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(String.format(MISSING, venv) + " [CI=true, so this fails instead of skipping]");
        }
        assumeTrue(present, String.format(MISSING, venv));
        return python;
    }
}
