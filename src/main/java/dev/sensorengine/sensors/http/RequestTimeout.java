package dev.sensorengine.sensors.http;

import dev.sensorengine.sensors.SensorConfigurationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * sensor_config {@code request_timeout}: how long one HTTP call may wait for its answer. Seconds as a number, or
 * {@code 500ms}, {@code 10s}, {@code 1m}, or ISO-8601; default 10s, at most 50s (a poke itself has a minute).
 */
public final class RequestTimeout {

    public static final Duration DEFAULT = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofSeconds(50);
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m)");

    private RequestTimeout() {}

    /** @param value the raw sensor_config value: null, a number of seconds, or a string */
    public static Duration of(Object value) {
        if (value == null) {
            return DEFAULT;
        }
        Duration timeout = parse(value);
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX) > 0) {
            throw new SensorConfigurationException(
                    "sensor_config 'request_timeout' must be more than 0 and at most " + MAX.toSeconds() + "s");
        }
        return timeout;
    }

    private static Duration parse(Object value) {
        if (value instanceof Number seconds) {
            return Duration.ofMillis(Math.round(seconds.doubleValue() * 1000));
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        Matcher matcher = SHORT.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new SensorConfigurationException("sensor_config 'request_timeout' must be seconds or a duration "
                    + "such as 500ms, 10s or PT10S, got '" + value + "'");
        }
    }
}
