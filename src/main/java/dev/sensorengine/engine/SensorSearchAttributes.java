package dev.sensorengine.engine;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.converter.DataConverter;
import java.util.Map;

/**
 * Search attributes that make sensors findable in the Temporal UI and CLI by Flyte execution, sensor and target
 * ({@code FlyteSensor="flytekit.sensor.file_sensor.FileSensor"}). Keyword attributes, taken from the memo.
 */
public final class SensorSearchAttributes {

    /** Attribute name by memo key. */
    private static final Map<String, String> FROM_MEMO = Map.of(
            "flyte_execution", "FlyteExecution",
            "sensor", "FlyteSensor",
            "target", "SensorTarget");

    private SensorSearchAttributes() {}

    /** What a namespace must have registered: every attribute, as a Keyword. */
    public static Map<String, IndexedValueType> definitions() {
        return Map.of(
                "FlyteExecution",
                IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
                "FlyteSensor",
                IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
                "SensorTarget",
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
