package dev.sensorengine.literals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-safe form of converted literal values, used for sensor inputs stored in workflows (which
 * are serialized as JSON): {@link Instant} and {@link Duration} become ISO-8601 strings ({@code
 * 2024-05-01T12:00:00Z}, {@code PT1H30M}), {@link BlobValue} and {@link StructuredDatasetValue}
 * become their URI, {@link GenericValue} becomes its map, {@link BinaryValue} the value its
 * MessagePack holds (a dataclass its object of fields); lists and maps are converted
 * recursively; everything else is returned unchanged.
 */
public final class PlainValues {

    private PlainValues() {}

    /**
     * One value in JSON-safe form; see the class comment. A literal {@code null} argument picks the
     * Map overload, so cast it ({@code of((Object) null)}) to get {@code null} back.
     */
    public static Object of(Object value) {
        if (value instanceof Instant || value instanceof Duration) {
            return value.toString();
        }
        if (value instanceof BlobValue blob) {
            return blob.uri();
        }
        if (value instanceof StructuredDatasetValue dataset) {
            return dataset.uri();
        }
        if (value instanceof GenericValue generic) {
            return of(generic.fields());
        }
        if (value instanceof BinaryValue binary) {
            return of(binary.value());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, element) -> out.put(String.valueOf(key), of(element)));
            return out;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>(collection.size());
            for (Object element : collection) {
                out.add(of(element));
            }
            return out;
        }
        return value;
    }

    /** A map of values (e.g. from {@link Literals#toValues}) in JSON-safe form, order kept. */
    public static Map<String, Object> of(Map<String, ?> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((name, value) -> out.put(name, of(value)));
        return out;
    }
}
