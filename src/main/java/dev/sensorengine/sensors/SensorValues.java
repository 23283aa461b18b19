package dev.sensorengine.sensors;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of a sensor's inputs or its {@code sensor_config}. A value of the wrong type or a missing required
 * one is a {@link SensorConfigurationException} that names the key and what was expected, so the author knows
 * what to fix.
 */
public final class SensorValues {

    private final String kind;
    private final Map<String, Object> values;

    /** @param kind how messages name these values: {@code "input"} or {@code "sensor_config"} */
    public SensorValues(String kind, Map<String, Object> values) {
        this.kind = kind;
        this.values = values == null ? Map.of() : values;
    }

    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** A required non-empty string. */
    public String string(String key) {
        return optionalString(key).orElseThrow(() -> missing(key, "a non-empty string"));
    }

    public Optional<String> optionalString(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text && !text.isBlank()) {
            return Optional.of(text);
        }
        throw wrong(key, "a non-empty string", value);
    }

    public String string(String key, String fallback) {
        return optionalString(key).orElse(fallback);
    }

    /** A required point in time: a Flyte datetime, or an ISO-8601 string with an offset. */
    public Instant instant(String key) {
        String text = optionalString(key).orElseThrow(() -> missing(key, "a datetime"));
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw wrong(key, "a datetime such as 2026-12-01T06:00:00Z", text);
        }
    }

    /** A required duration: a Flyte duration, or an ISO-8601 string such as PT1H. */
    public Duration duration(String key) {
        String text = optionalString(key).orElseThrow(() -> missing(key, "a duration"));
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw wrong(key, "a duration such as PT1H30M", text);
        }
    }

    /**
     * An optional duration: a number of seconds, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, or
     * ISO-8601 such as {@code PT1M30S} (the forms {@code poke_interval} takes).
     */
    public Duration duration(String key, Duration fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        String expected = "a duration such as 30, 500ms, 30s, 5m or PT1M30S";
        if (value instanceof Number number) {
            return Duration.ofMillis(Math.round(number.doubleValue() * 1000));
        }
        if (!(value instanceof String text)) {
            throw wrong(key, expected, value);
        }
        try {
            return DurationText.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw wrong(key, expected, value);
        }
    }

    public boolean bool(String key, boolean fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw wrong(key, "true or false", value);
    }

    public long integer(String key, long fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.longValue();
        }
        throw wrong(key, "a whole number", value);
    }

    /** A list, or empty when absent. */
    public List<Object> list(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return List.copyOf(list);
        }
        throw wrong(key, "a list", value);
    }

    private SensorConfigurationException missing(String key, String expected) {
        return new SensorConfigurationException(kind + " '" + key + "' is missing; it must be " + expected + " (got "
                + kind + " keys " + values.keySet() + ")");
    }

    private SensorConfigurationException wrong(String key, String expected, Object value) {
        return new SensorConfigurationException(kind + " '" + key + "' must be " + expected + ", got "
                + (value instanceof String
                        ? "'" + value + "'"
                        : value.getClass().getSimpleName() + " " + value));
    }
}
