package dev.sensorengine.engine;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.converter.DataConverter;
import java.util.Map;

/**
 * Search attributes that make sensors findable in the Temporal UI and CLI by Flyte execution, sensor and target
 * ({@code FlyteSensor="flytekit.sensor.file_sensor.FileSensor"}), and by events ({@link SensorWaker}): the target's
 * bucket and how the sensor matches it. Keyword attributes, taken from the memo.
 */
public final class SensorSearchAttributes {

    /** Memo key of the bucket of a sensor that events may wake ({@code s3://b}). */
    static final String MEMO_BUCKET = "target_bucket";
    /** Memo key of how that sensor matches its target ({@code exact}, {@code prefix}, {@code glob}). */
    static final String MEMO_MATCH = "target_match";

    static final String SENSOR = "FlyteSensor";
    static final String TARGET = "SensorTarget";
    static final String BUCKET = "SensorBucket";
    static final String MATCH = "SensorMatch";

    /** Attribute name by memo key. */
    private static final Map<String, String> FROM_MEMO = Map.of(
            "flyte_execution",
            "FlyteExecution",
            "sensor",
            SENSOR,
            "target",
            TARGET,
            MEMO_BUCKET,
            BUCKET,
            MEMO_MATCH,
            MATCH);

    private SensorSearchAttributes() {}

    /** What a namespace must have registered: every attribute, as a Keyword. */
    public static Map<String, IndexedValueType> definitions() {
        return Map.of(
                "FlyteExecution",
                IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
                SENSOR,
                IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
                TARGET,
                IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
                BUCKET,
                IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
                MATCH,
                IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }

    static SearchAttributes of(Map<String, Object> memo, DataConverter converter) {
        SearchAttributes.Builder attributes = SearchAttributes.newBuilder();
        FROM_MEMO.forEach((memoKey, name) -> {
            Object value = memo.get(memoKey);
            if (value != null) {
                Payload payload = converter.toPayload(String.valueOf(value)).orElseThrow().toBuilder()
                        .putMetadata("type", ByteString.copyFromUtf8("Keyword"))
                        .build();
                attributes.putIndexedFields(name, payload);
            }
        });
        return attributes.build();
    }
}
