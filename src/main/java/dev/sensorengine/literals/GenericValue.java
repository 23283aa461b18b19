package dev.sensorengine.literals;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A generic ({@code google.protobuf.Struct}) scalar, kept apart from a Flyte map literal so that
 * converting back produces a Struct again rather than a LiteralMap.
 *
 * @param fields the Struct's fields as plain Java values (see {@link Structs#toJava})
 */
public record GenericValue(Map<String, Object> fields) {

    public GenericValue {
        Objects.requireNonNull(fields, "fields");
        // A copy, so later changes by the caller cannot alter an equal-looking value; nulls are legal.
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
