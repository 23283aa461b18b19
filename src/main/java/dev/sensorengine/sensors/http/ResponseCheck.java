package dev.sensorengine.sensors.http;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What HttpSensor's sensor_config asks of an answer: {@code method} (GET, HEAD or POST), {@code expect_status}
 * (default any 2xx), {@code not_ready_status} (default [404]), {@code response_contains} (a substring of the
 * body), and {@code json_pointer} with optional {@code json_equals} (the body is JSON and the value there equals
 * it; without json_equals, the value must be present and not null).
 */
public record ResponseCheck(
        String method,
        Set<Integer> expectStatus,
        Set<Integer> notReadyStatus,
        Optional<String> contains,
        Optional<JsonPointer> pointer,
        Optional<JsonNode> equalsValue) {

    /** How much of a body is read to check it. */
    public static final int BODY_LIMIT = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST");

    /** @throws SensorConfigurationException naming the key that is wrong */
    public static ResponseCheck of(SensorValues config, Map<String, Object> raw) {
        String method = config.string("method", "GET").trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new SensorConfigurationException(
                    "sensor_config 'method' must be one of GET, HEAD or POST, got '" + method + "'");
        }
        Optional<JsonPointer> pointer = config.optionalString("json_pointer").map(ResponseCheck::pointer);
        Optional<JsonNode> equalsValue = raw.containsKey("json_equals")
                ? Optional.of(JSON.valueToTree(raw.get("json_equals")))
                : Optional.empty();
        if (equalsValue.isPresent() && pointer.isEmpty()) {
            throw new SensorConfigurationException("sensor_config 'json_equals' needs 'json_pointer', e.g. /status");
        }
        Optional<String> contains = raw.get("response_contains") == null
                ? Optional.empty()
                : Optional.of(config.string("response_contains"));
        if (method.equals("HEAD") && (contains.isPresent() || pointer.isPresent())) {
            throw new SensorConfigurationException(
                    "method HEAD has no body to check; drop response_contains and " + "json_pointer, or use GET");
        }
        Set<Integer> expect = statuses(config, "expect_status");
        Set<Integer> notReady = config.has("not_ready_status") ? statuses(config, "not_ready_status") : Set.of(404);
        return new ResponseCheck(method, expect, notReady, contains, pointer, equalsValue);
    }

    public boolean needsBody() {
        return contains.isPresent() || pointer.isPresent();
    }

    /**
     * Ready, not ready, or an exception: {@link HttpPokeException} for 5xx, 408 and 429, a
     * {@link SensorConfigurationException} for other 3xx and 4xx that are not in {@code not_ready_status}.
     */
    public PokeResult judge(HttpAnswer answer, HttpTarget target) throws Exception {
        int status = answer.status();
        String from = "HTTP " + status + " from " + target.host();
        if (expected(status)) {
            return checkBody(answer, target, from);
        }
        if (notReadyStatus.contains(status)) {
            return PokeResult.notReady(from + " for " + target.display());
        }
        if (status >= 200 && status < 300) {
            return PokeResult.notReady(from + " for " + target.display() + ", waiting for " + expectation());
        }
        throw HttpStatuses.unexpected(answer, target);
    }

    private boolean expected(int status) {
        return expectStatus.isEmpty() ? status >= 200 && status < 300 : expectStatus.contains(status);
    }

    private PokeResult checkBody(HttpAnswer answer, HttpTarget target, String from) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("url", target.display());
        details.put("method", method);
        details.put("status", Integer.toString(answer.status()));
        List<String> found = new ArrayList<>();
        String text = needsBody() ? answer.text() : "";
        if (contains.isPresent()) {
            if (!text.contains(contains.get())) {
                return PokeResult.notReady(from + ", but the response does not contain '" + contains.get() + "'"
                        + (answer.truncated() ? " in its first " + BODY_LIMIT / 1024 + " KiB" : ""));
            }
            found.add("the response contains '" + contains.get() + "'");
        }
        if (pointer.isPresent()) {
            JsonNode body;
            try {
                body = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                return PokeResult.notReady(from + ", but the response is not JSON"
                        + (answer.truncated() ? " (or longer than " + BODY_LIMIT / 1024 + " KiB)" : ""));
            }
            JsonNode value = body == null ? null : body.at(pointer.get());
            if (value == null || value.isMissingNode()) {
                return PokeResult.notReady(from + ", but the response has nothing at " + pointer.get());
            }
            if (equalsValue.isPresent() && !value.equals(NUMBERS_BY_VALUE, equalsValue.get())) {
                return PokeResult.notReady(from + ", " + pointer.get() + " is " + shown(value) + ", waiting for "
                        + shown(equalsValue.get()));
            }
            if (equalsValue.isEmpty() && value.isNull()) {
                return PokeResult.notReady(from + ", but " + pointer.get() + " is null");
            }
            found.add(pointer.get() + " is " + shown(value));
            details.put("json_value", shown(value));
        }
        return PokeResult.ready(from + (found.isEmpty() ? "" : ": " + String.join(", ", found)), details);
    }

    /** 1 and 1.0 are equal: sensor_config numbers arrive as doubles, JSON answers often carry integers. */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private String expectation() {
        return expectStatus.isEmpty() ? "a 2xx" : "HTTP " + expectStatus;
    }

    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() > 100 ? text.substring(0, 100) + "…" : text;
    }

    private static JsonPointer pointer(String text) {
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw new SensorConfigurationException("sensor_config 'json_pointer' must be a JSON pointer such as "
                    + "/status or /items/0/state, got '" + text + "'");
        }
    }

    private static Set<Integer> statuses(SensorValues config, String key) {
        Set<Integer> statuses = new LinkedHashSet<>();
        for (Object value : config.list(key)) {
            int status;
            try {
                status = value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                        ? number.intValue()
                        : Integer.parseInt(value.toString().trim());
            } catch (NumberFormatException e) {
                status = -1;
            }
            if (status < 100 || status > 599) {
                throw new SensorConfigurationException("sensor_config '" + key + "' must list HTTP status codes "
                        + "such as [200, 204], got " + value);
            }
            statuses.add(status);
        }
        return Collections.unmodifiableSet(statuses);
    }
}
