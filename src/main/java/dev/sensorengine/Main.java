package dev.sensorengine;

import dev.sensorengine.bench.BenchCommand;
import dev.sensorengine.runtime.ClientCommand;
import dev.sensorengine.runtime.EnvironmentDefaults;
import dev.sensorengine.runtime.ServeCommand;
import dev.sensorengine.runtime.TemporalCommand;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar sensor-engine.jar}: the service ({@code serve}) and its gRPC client ({@code client}). */
@Command(
        name = "sensor-engine",
        mixinStandardHelpOptions = true,
        version = "sensor-engine 0.1.0",
        description = "A Flyte sensor connector in which every sensor is a durable Temporal workflow.",
        subcommands = {ServeCommand.class, ClientCommand.class, TemporalCommand.class, BenchCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with environment defaults ({@code SENSOR_ENGINE_<NAME>}) for every option. */
    public static CommandLine commandLine() {
        return commandLine(System::getenv);
    }

    /** The command line with defaults from {@code environment}, for tests. */
    public static CommandLine commandLine(UnaryOperator<String> environment) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setDefaultValueProvider(new EnvironmentDefaults(environment))
                // A failure to start is the operator's to fix: say what, not where in our code.
                .setExecutionExceptionHandler((error, commandLine, parsed) -> {
                    commandLine.getErr().println("error: " + error.getMessage());
                    return 1;
                });
    }
}
