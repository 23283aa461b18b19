package dev.sensorengine.literals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlainValuesTest {

    @Test
    void timesBecomeIsoStrings() {
        assertThat(PlainValues.of((Object) Instant.parse("2024-05-01T12:00:00.000000123Z")))
                .isEqualTo("2024-05-01T12:00:00.000000123Z");
        assertThat(PlainValues.of((Object) Duration.ofMinutes(90))).isEqualTo("PT1H30M");
    }

    @Test
    void referencesBecomeTheirUri() {
        assertThat(PlainValues.of((Object) new BlobValue("s3://b/dir/", "", true)))
                .isEqualTo("s3://b/dir/");
        assertThat(PlainValues.of((Object) new StructuredDatasetValue("s3://b/t.parquet", "parquet")))
                .isEqualTo("s3://b/t.parquet");
    }

    @Test
    void genericBecomesItsMap() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("suffix", ".done");
        fields.put("depth", 2.0);

        assertThat(PlainValues.of((Object) new GenericValue(fields))).isEqualTo(fields);
    }

    @Test
    void othersAreUnchanged() {
        assertThat(PlainValues.of((Object) null)).isNull();
        assertThat(PlainValues.of((Object) "s")).isEqualTo("s");
        assertThat(PlainValues.of((Object) 5L)).isEqualTo(5L);
        assertThat(PlainValues.of((Object) 2.5)).isEqualTo(2.5);
        assertThat(PlainValues.of((Object) true)).isEqualTo(true);
    }

    @Test
    void convertsRecursivelyKeepingOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", Duration.ofSeconds(1));
        inner.put("a", List.of(new BlobValue("s3://b/f", "", false)));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("when", Instant.EPOCH);
        values.put("files", Arrays.asList(new BlobValue("s3://b/a", "", false), null));
        values.put("nested", inner);

        Map<String, Object> plain = PlainValues.of(values);

        assertThat(plain)
                .containsExactly(
                        Map.entry("when", "1970-01-01T00:00:00Z"),
                        Map.entry("files", Arrays.asList("s3://b/a", null)),
                        Map.entry("nested", Map.of("z", "PT1S", "a", List.of("s3://b/f"))));
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) plain.get("nested");
        assertThat(nested.keySet()).containsExactly("z", "a");
    }

    @Test
    void convertedLiteralsBecomePlain() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("path", new BlobValue("s3://b/k", "", false));
        values.put("timeout", Duration.ofHours(1));

        Map<String, Object> plain = PlainValues.of(LiteralConverter.toValues(LiteralConverter.toLiteralMap(values)));

        assertThat(plain).containsExactly(Map.entry("path", "s3://b/k"), Map.entry("timeout", "PT1H"));
    }
}
