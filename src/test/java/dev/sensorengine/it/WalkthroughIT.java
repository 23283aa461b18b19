package dev.sensorengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.testing.RealTemporal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-through, as a newcomer runs it: the service started by the README's run command in a fresh
 * directory, then every command of the walk-through, as written and in order, in one shell, each checked against the
 * {@code # } lines under it. The README cannot drift from the product without this failing.
 */
class WalkthroughIT {

    private static final Path README = Path.of("README.md");
    /** A command whose expected output depends on the sensor's progress is asked again until it shows it. */
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    void everyCommandOfTheWalkthroughPrintsWhatTheReadmeSays() throws Exception {
        List<Step> steps = steps(Files.readString(README, StandardCharsets.UTF_8));
        assertThat(steps).as("commands of the README's walk-through").hasSizeGreaterThanOrEqualTo(6);

        // The directory a newcomer runs from: target/sensor-engine.jar and sensor-files, as the run command makes.
        Files.createDirectories(work.resolve("target"));
        Files.copy(
                Path.of(System.getProperty("sensorEngine.jar", "target/sensor-engine.jar")),
                work.resolve("target/sensor-engine.jar"));
        Files.createDirectories(work.resolve("sensor-files"));
        Map<String, String> environment = new HashMap<>();
        int grpcPort = ServiceProcess.freePort();
        // The README's ports (8000, 7233, 8233) may be taken here: the same settings, moved by environment.
        environment.put("SENSOR_ENGINE_GRPC_PORT", Integer.toString(grpcPort));
        environment.put("SENSOR_ENGINE_METRICS_PORT", "0");
        environment.put("SENSOR_ENGINE_LOCAL_TEMPORAL_PORT", Integer.toString(ServiceProcess.freePort()));
        environment.put("SENSOR_ENGINE_TEMPORAL_UI_PORT", Integer.toString(ServiceProcess.freePort()));
        environment.put("SENSOR_ENGINE_TEMPORAL_CLI", RealTemporal.cli().toString());
        environment.put("SENSOR_ENGINE_TARGET", "localhost:" + grpcPort);

        Process service = serve(environment);
        try {
            Process running = service;
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                assertThat(running.isAlive())
                        .as("the service runs; see %s", work.resolve("serve.log"))
                        .isTrue();
                return run(environment, "java -jar target/sensor-engine.jar client health")
                                .exit()
                        == 0;
            });
            try (Shell shell = new Shell(work, environment)) {
                for (Step step : steps) {
                    check(shell, step);
                }
            }
        } finally {
            service.destroy();
            service.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private Process serve(Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        java(), "-jar", "target/sensor-engine.jar", "serve", "--file-root", "sensor-files")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("serve.log").toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private void check(Shell shell, Step step) throws Exception {
        if (step.expected.isEmpty() || !step.repeatable()) {
            Shell.Result result = shell.run(step.command);
            assertThat(result.exit())
                    .as("exit of `%s`; it printed:%n%s", step.command, result.output())
                    .isZero();
            assertPrints(step, result.output());
            return;
        }
        await().atMost(SETTLE).untilAsserted(() -> {
            Shell.Result result = shell.run(step.command);
            assertThat(result.exit())
                    .as("exit of `%s`; it printed:%n%s", step.command, result.output())
                    .isZero();
            assertPrints(step, result.output());
        });
    }

    /** Every expected line matches a line the command printed; the first expected line, its first line. */
    private static void assertPrints(Step step, String output) {
        List<String> lines = output.lines().toList();
        for (int i = 0; i < step.expected.size(); i++) {
            Pattern pattern = step.expected.get(i);
            List<String> candidates = i == 0 && !lines.isEmpty() ? List.of(lines.get(0)) : lines;
            assertThat(candidates.stream()
                            .anyMatch(line -> pattern.matcher(line).matches()))
                    .as("`%s` should print a line like /%s/; it printed:%n%s", step.command, pattern, output)
                    .isTrue();
        }
    }

    /** The walk-through's commands, each with the {@code # } lines right under it as patterns. */
    static List<Step> steps(String readme) {
        int section = readme.indexOf("## Walk-through");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        int end = readme.indexOf("\n```", start);
        List<Step> steps = new ArrayList<>();
        Step current = null;
        for (String line : readme.substring(start, end).split("\n")) {
            if (line.isBlank()) {
                current = null;
            } else if (line.startsWith("#")) {
                if (current != null) {
                    current.expected.add(pattern(line.replaceFirst("^# ?", "")));
                }
            } else {
                current = new Step(line.replaceFirst("\\s+#.*$", ""), new ArrayList<>());
                steps.add(current);
            }
        }
        return steps;
    }

    /** {@code …} stands for anything and any run of digits for any number; the rest is literal. */
    static Pattern pattern(String expected) {
        StringBuilder regex = new StringBuilder();
        for (String part : expected.strip().split("…", -1)) {
            if (regex.length() > 0 || expected.strip().startsWith("…")) {
                regex.append(".*");
            }
            String[] numbers = part.split("\\d+", -1);
            for (int i = 0; i < numbers.length; i++) {
                if (i > 0) {
                    regex.append("\\d+");
                }
                regex.append(Pattern.quote(numbers[i]));
            }
        }
        return Pattern.compile("\\s*" + regex + "\\s*");
    }

    private Shell.Result run(Map<String, String> environment, String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command)
                .directory(work.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Shell.Result(process.waitFor(), output);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    record Step(String command, List<Pattern> expected) {
        /** Asking again changes nothing: reads of the sensor. */
        boolean repeatable() {
            return command.matches(".*client (get|logs|agents)\\b.*");
        }
    }

    /** One bash session, as a terminal: variables set by one command are there for the next. */
    static final class Shell implements AutoCloseable {
        private static final String DONE = "__walkthrough_done__";

        private final Process bash;
        private final BufferedReader answers;
        private final Writer commands;
        private final Path output;

        Shell(Path directory, Map<String, String> environment) throws IOException {
            ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc")
                    .directory(directory.toFile())
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            bash = builder.start();
            answers = bash.inputReader(StandardCharsets.UTF_8);
            commands = bash.outputWriter(StandardCharsets.UTF_8);
            output = directory.resolve("walkthrough.out");
        }

        /** Runs one command line; its output (stdout and stderr) and exit status. */
        Result run(String command) throws IOException {
            commands.write("{ " + command + "\n} > " + output + " 2>&1; echo " + DONE + " $?\n");
            commands.flush();
            String line;
            while ((line = answers.readLine()) != null) {
                if (line.startsWith(DONE + " ")) {
                    int exit =
                            Integer.parseInt(line.substring(DONE.length() + 1).trim());
                    return new Result(exit, Files.readString(output, StandardCharsets.UTF_8));
                }
            }
            throw new IOException("bash ended while running: " + command);
        }

        @Override
        public void close() throws InterruptedException {
            bash.destroy();
            bash.waitFor(10, TimeUnit.SECONDS);
        }

        record Result(int exit, String output) {}
    }
}
