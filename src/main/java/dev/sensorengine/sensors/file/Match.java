package dev.sensorengine.sensors.file;

import dev.sensorengine.sensors.SensorConfigurationException;
import java.util.Locale;

/** How FileSensor's {@code path} is compared with what exists: sensor_config key {@code match}. */
public enum Match {
    /** The object or file at exactly that path (flytekit's behaviour). */
    EXACT,
    /** Any object whose key starts with the path; any file under it, for local paths. */
    PREFIX,
    /** Any object matching the path as a glob ({@link Glob}), e.g. {@code s3://b/dt=2026-11-28/*.parquet}. */
    GLOB;

    /** @throws SensorConfigurationException naming the accepted values */
    public static Match parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SensorConfigurationException(
                    "sensor_config 'match' must be exact, prefix or glob, got '" + value + "'");
        }
    }

    /** Why nothing was found at {@code location}, e.g. "s3://b/k does not exist". */
    public String nothingAt(String location) {
        return switch (this) {
            case EXACT -> location + " does not exist";
            case PREFIX -> "nothing under " + location + " yet";
            case GLOB -> "nothing matches " + location + " yet";
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
