package dev.sensorengine.runtime;

import java.util.Locale;
import java.util.function.UnaryOperator;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lets every option be set from the environment: {@code --grpc-port} from {@code SENSOR_ENGINE_GRPC_PORT}, and so
 * on. A flag given on the command line wins; the annotation's default applies when neither is set.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {

    private final UnaryOperator<String> environment;

    public EnvironmentDefaults(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /** The variable that sets {@code option}, e.g. {@code SENSOR_ENGINE_FILE_ROOT} for {@code --file-root}. */
    public static String variableFor(String longOption) {
        return "SENSOR_ENGINE_"
                + longOption.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        // --help and --version are not settings: SENSOR_ENGINE_VERSION=0.1.0 in an image must not feed --version.
        if (argument instanceof OptionSpec option
                && option.longestName().startsWith("--")
                && !option.usageHelp()
                && !option.versionHelp()) {
            String value = environment.apply(variableFor(option.longestName()));
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return argument.defaultValue();
    }
}
