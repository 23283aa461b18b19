package dev.sensorengine.literals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructsTest {

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value num(double d) {
        return Value.newBuilder().setNumberValue(d).build();
    }

    private static Value nul() {
        return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }

    @Test
    void structRoundTripsWithEveryValueKind() {
        Struct nested = Struct.newBuilder()
                .putFields("suffix", str(".done"))
                .putFields("depth", num(2))
                .build();
        Struct struct = Struct.newBuilder()
                .putFields(
                        "sensor_config",
                        Value.newBuilder().setStructValue(nested).build())
                .putFields("inputs", nul())
                .putFields("enabled", Value.newBuilder().setBoolValue(false).build())
                .putFields("ratio", num(0.25))
                .putFields("name", str("FileSensor"))
                .putFields(
                        "paths",
                        Value.newBuilder()
                                .setListValue(ListValue.newBuilder()
                                        .addValues(str("a"))
                                        .addValues(nul())
                                        .addValues(num(1)))
                                .build())
                .build();

        Map<String, Object> map = Structs.toMap(struct);

        Map<String, Object> expectedNested = new LinkedHashMap<>();
        expectedNested.put("suffix", ".done");
        expectedNested.put("depth", 2.0d);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("sensor_config", expectedNested);
        expected.put("inputs", null);
        expected.put("enabled", false);
        expected.put("ratio", 0.25d);
        expected.put("name", "FileSensor");
        expected.put("paths", Arrays.asList("a", null, 1.0d));
        assertThat(map).isEqualTo(expected);
        assertThat(Structs.toStruct(map)).isEqualTo(struct);
    }

    @Test
    void integralNumbersStayDouble() {
        assertThat(Structs.toJava(num(3))).isEqualTo(3.0d).isInstanceOf(Double.class);
        // Going out, any Number becomes a double.
        assertThat(Structs.toValue(3)).isEqualTo(num(3));
        assertThat(Structs.toValue(3L)).isEqualTo(num(3));
        assertThat(Structs.toValue(1.5f)).isEqualTo(num(1.5));
    }

    @Test
    void scalarsConvertBothWays() {
        assertThat(Structs.toJava(nul())).isNull();
        assertThat(Structs.toValue(null)).isEqualTo(nul());
        assertThat(Structs.toJava(Value.newBuilder().setBoolValue(true).build()))
                .isEqualTo(true);
        assertThat(Structs.toValue(true))
                .isEqualTo(Value.newBuilder().setBoolValue(true).build());
        assertThat(Structs.toJava(str("x"))).isEqualTo("x");
        assertThat(Structs.toValue(new StringBuilder("x"))).isEqualTo(str("x"));
    }

    @Test
    void valueWithoutKindIsNull() {
        assertThat(Structs.toJava(Value.getDefaultInstance())).isNull();
    }

    @Test
    void listsAndNestedStructsConvertBothWays() {
        List<Object> list = new ArrayList<>();
        list.add(Map.of("k", List.of()));
        list.add(null);
        Value value = Structs.toValue(list);

        assertThat(value.getListValue()
                        .getValues(0)
                        .getStructValue()
                        .getFieldsMap()
                        .get("k")
                        .getListValue()
                        .getValuesCount())
                .isZero();
        assertThat(value.getListValue().getValues(1)).isEqualTo(nul());
        assertThat(Structs.toJava(value)).isEqualTo(list);
    }

    @Test
    void emptyStructIsEmptyMap() {
        assertThat(Structs.toMap(Struct.getDefaultInstance())).isEmpty();
        assertThat(Structs.toStruct(Map.of())).isEqualTo(Struct.getDefaultInstance());
    }

    @Test
    void rejectsUnsupportedTypesAndKeys() {
        assertThatThrownBy(() -> Structs.toValue(Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.time.Instant");
        Map<Object, Object> badKey = new LinkedHashMap<>();
        badKey.put(1, "x");
        assertThatThrownBy(() -> Structs.toValue(badKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys must be strings");
    }
}
