package dev.sensorengine.literals;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts {@code google.protobuf.Struct} / {@code Value} to plain Java values and back.
 *
 * <p>Java side types: {@code null}, {@link Boolean}, {@link Double}, {@link String}, {@link List}
 * and {@code Map<String, Object>}.
 *
 * <p>Numbers: a Struct number is an IEEE double on the wire and does not say whether it was
 * written as an integer, so {@link #toJava} always returns a {@link Double}, also for integral
 * values ({@code 3} comes back as {@code 3.0}). Callers that want an integer use {@code
 * ((Number) v).longValue()}. Going the other way, every {@link Number} is sent as a double, so
 * longs beyond 2^53 lose precision.
 */
public final class Structs {

    private Structs() {}

    /** Struct → insertion-ordered map of field name to plain Java value. */
    public static Map<String, Object> toMap(Struct struct) {
        Map<String, Object> out = new LinkedHashMap<>();
        struct.getFieldsMap().forEach((name, value) -> out.put(name, toJava(value)));
        return out;
    }

    /**
     * Value → plain Java value. A Value with no kind set is taken as null, which is how JSON
     * printers treat it too.
     */
    public static Object toJava(Value value) {
        return switch (value.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> null;
            case BOOL_VALUE -> value.getBoolValue();
            case NUMBER_VALUE -> value.getNumberValue();
            case STRING_VALUE -> value.getStringValue();
            case STRUCT_VALUE -> toMap(value.getStructValue());
            case LIST_VALUE -> {
                List<Object> list = new ArrayList<>(value.getListValue().getValuesCount());
                for (Value element : value.getListValue().getValuesList()) {
                    list.add(toJava(element));
                }
                yield list;
            }
        };
    }

    /** Map of plain Java values → Struct. Throws IllegalArgumentException for other value types. */
    public static Struct toStruct(Map<String, ?> map) {
        Struct.Builder struct = Struct.newBuilder();
        map.forEach((name, value) -> struct.putFields(name, toValue(value)));
        return struct.build();
    }

    /**
     * Plain Java value → Value: null, Boolean, any Number (as double), CharSequence, Map with
     * String keys, Collection. Anything else throws IllegalArgumentException naming the type.
     */
    public static Value toValue(Object value) {
        if (value == null) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (value instanceof Boolean b) {
            return Value.newBuilder().setBoolValue(b).build();
        }
        if (value instanceof Number n) {
            return Value.newBuilder().setNumberValue(n.doubleValue()).build();
        }
        if (value instanceof CharSequence s) {
            return Value.newBuilder().setStringValue(s.toString()).build();
        }
        if (value instanceof Map<?, ?> map) {
            Struct.Builder struct = Struct.newBuilder();
            map.forEach((key, element) -> struct.putFields(stringKey(key), toValue(element)));
            return Value.newBuilder().setStructValue(struct).build();
        }
        if (value instanceof Collection<?> collection) {
            ListValue.Builder list = ListValue.newBuilder();
            for (Object element : collection) {
                list.addValues(toValue(element));
            }
            return Value.newBuilder().setListValue(list).build();
        }
        throw new IllegalArgumentException(
                "Cannot convert " + value.getClass().getName() + " to a google.protobuf.Value; "
                        + "supported: null, Boolean, Number, String, Map<String, ?>, Collection");
    }

    private static String stringKey(Object key) {
        if (key instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("Struct keys must be strings, got "
                + (key == null ? "null" : key.getClass().getName()));
    }
}
