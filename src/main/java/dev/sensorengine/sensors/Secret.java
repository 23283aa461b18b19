package dev.sensorengine.sensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A credential from the service's configuration, read from an environment variable or a file when it is used
 * (so a rotated file is picked up) and never printed: {@link #toString} names only where it comes from.
 */
public final class Secret {

    private final String source;
    private final String reference;
    private final UnaryOperator<String> environment;

    private Secret(String source, String reference, UnaryOperator<String> environment) {
        this.source = source;
        this.reference = Objects.requireNonNull(reference, source);
        this.environment = environment;
    }

    public static Secret fromEnvironment(String variable, UnaryOperator<String> environment) {
        return new Secret("env", variable, environment);
    }

    public static Secret fromFile(Path file) {
        return new Secret("file", file.toString(), name -> null);
    }

    /** A value written in the configuration itself: fine for things like an Accept header, not for passwords. */
    public static Secret literal(String value) {
        return new Secret("value", value, name -> null);
    }

    /**
     * The value, for the one call that needs it; never log or return it.
     *
     * @throws SensorConfigurationException when the variable is unset or the file unreadable
     */
    public String reveal() {
        switch (source) {
            case "env" -> {
                String value = environment.apply(reference);
                if (value == null) {
                    throw new SensorConfigurationException("environment variable " + reference
                            + " named in the service's connections file is not set");
                }
                return value;
            }
            case "file" -> {
                try {
                    return Files.readString(Path.of(reference), StandardCharsets.UTF_8)
                            .strip();
                } catch (IOException e) {
                    throw new SensorConfigurationException(
                            "secret file " + reference + " named in the service's connections file cannot be read: "
                                    + e.getClass().getSimpleName());
                }
            }
            default -> {
                return reference;
            }
        }
    }

    @Override
    public String toString() {
        return "value".equals(source) ? "Secret[value]" : "Secret[" + source + ":" + reference + "]";
    }
}
