package dev.sensorengine.literals;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.sensorengine.flyteidl.core.Literals;
import dev.sensorengine.flyteidl.core.Literals.Blob;
import dev.sensorengine.flyteidl.core.Literals.BlobMetadata;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.LiteralCollection;
import dev.sensorengine.flyteidl.core.Literals.LiteralMap;
import dev.sensorengine.flyteidl.core.Literals.Primitive;
import dev.sensorengine.flyteidl.core.Literals.Scalar;
import dev.sensorengine.flyteidl.core.Literals.StructuredDataset;
import dev.sensorengine.flyteidl.core.Literals.StructuredDatasetMetadata;
import dev.sensorengine.flyteidl.core.Types.BlobType;
import dev.sensorengine.flyteidl.core.Types.BlobType.BlobDimensionality;
import dev.sensorengine.flyteidl.core.Types.StructuredDatasetType;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Converts Flyte literals to plain Java values and back.
 *
 * <p>Mapping (Flyte → Java): integer → {@link Long}; float → {@link Double}; string → {@link
 * String}; boolean → {@link Boolean}; datetime → {@link Instant}; duration → {@link Duration};
 * none → {@code null}; collection → {@link List}; map → {@code Map<String, Object>} (insertion
 * ordered); blob → {@link BlobValue}; structured dataset → {@link StructuredDatasetValue}; generic
 * Struct → {@link GenericValue}; binary with tag {@code msgpack} (flytekit's dataclasses, Pydantic
 * models and untyped dicts) → {@link BinaryValue}, its bytes and the value they hold; union → its
 * wrapped value (the union's type is dropped, since a sensor only needs the value).
 *
 * <p>Binary literals of another tag or whose bytes are no MessagePack value, error, offloaded and
 * schema literals, literals with no value set, and kinds newer than this connector's flyteidl
 * (unknown fields) throw {@link UnsupportedLiteralException} naming the kind. The literal's
 * {@code hash} and {@code metadata} are not carried over.
 */
public final class LiteralConverter {

    private LiteralConverter() {}

    /** LiteralMap → insertion-ordered map of input name to Java value. */
    public static Map<String, Object> toValues(LiteralMap map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.getLiteralsMap().forEach((name, literal) -> out.put(name, toValue(literal, name)));
        return out;
    }

    /** One literal → Java value; rejections carry no input name (use {@link #toValues} for that). */
    public static Object toValue(Literal literal) {
        return toValue(literal, null);
    }

    /** Map of Java values → LiteralMap. Throws IllegalArgumentException for unsupported types. */
    public static LiteralMap toLiteralMap(Map<String, ?> values) {
        LiteralMap.Builder map = LiteralMap.newBuilder();
        values.forEach((name, value) -> map.putLiterals(name, toLiteral(value)));
        return map.build();
    }

    /**
     * Java value → literal. Integer, Long, Short and Byte become integer; Float and Double become
     * float; String, Boolean, Instant (datetime), Duration, null (none), any Collection, Map with
     * String keys, BlobValue, StructuredDatasetValue, GenericValue and BinaryValue map as in the class
     * comment.
     * Any other type throws IllegalArgumentException naming it.
     */
    public static Literal toLiteral(Object value) {
        if (value instanceof Collection<?> collection) {
            LiteralCollection.Builder literals = LiteralCollection.newBuilder();
            for (Object element : collection) {
                literals.addLiterals(toLiteral(element));
            }
            return Literal.newBuilder().setCollection(literals).build();
        }
        if (value instanceof Map<?, ?> map) {
            LiteralMap.Builder literals = LiteralMap.newBuilder();
            map.forEach((key, element) -> literals.putLiterals(mapKey(key), toLiteral(element)));
            return Literal.newBuilder().setMap(literals).build();
        }
        return Literal.newBuilder().setScalar(toScalar(value)).build();
    }

    private static Scalar toScalar(Object value) {
        Scalar.Builder scalar = Scalar.newBuilder();
        if (value == null) {
            return scalar.setNoneType(Literals.Void.getDefaultInstance()).build();
        }
        if (value instanceof BlobValue blob) {
            BlobType type = BlobType.newBuilder()
                    .setFormat(blob.format())
                    .setDimensionality(blob.multipart() ? BlobDimensionality.MULTIPART : BlobDimensionality.SINGLE)
                    .build();
            return scalar.setBlob(Blob.newBuilder()
                            .setUri(blob.uri())
                            .setMetadata(BlobMetadata.newBuilder().setType(type)))
                    .build();
        }
        if (value instanceof StructuredDatasetValue dataset) {
            StructuredDatasetMetadata metadata = StructuredDatasetMetadata.newBuilder()
                    .setStructuredDatasetType(StructuredDatasetType.newBuilder().setFormat(dataset.format()))
                    .build();
            return scalar.setStructuredDataset(
                            StructuredDataset.newBuilder().setUri(dataset.uri()).setMetadata(metadata))
                    .build();
        }
        if (value instanceof GenericValue generic) {
            return scalar.setGeneric(Structs.toStruct(generic.fields())).build();
        }
        if (value instanceof BinaryValue binary) {
            return scalar.setBinary(
                            Literals.Binary.newBuilder().setTag(binary.tag()).setValue(binary.bytes()))
                    .build();
        }
        return scalar.setPrimitive(toPrimitive(value)).build();
    }

    private static Primitive toPrimitive(Object value) {
        Primitive.Builder primitive = Primitive.newBuilder();
        if (value instanceof String s) {
            return primitive.setStringValue(s).build();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return primitive.setInteger(((Number) value).longValue()).build();
        }
        if (value instanceof Double || value instanceof Float) {
            return primitive.setFloatValue(((Number) value).doubleValue()).build();
        }
        if (value instanceof Boolean b) {
            return primitive.setBoolean(b).build();
        }
        if (value instanceof Instant instant) {
            return primitive
                    .setDatetime(Timestamp.newBuilder()
                            .setSeconds(instant.getEpochSecond())
                            .setNanos(instant.getNano()))
                    .build();
        }
        if (value instanceof Duration duration) {
            return primitive
                    .setDuration(com.google.protobuf.Duration.newBuilder()
                            .setSeconds(duration.getSeconds())
                            .setNanos(duration.getNano()))
                    .build();
        }
        throw new IllegalArgumentException(
                "Cannot convert " + value.getClass().getName() + " to a Flyte literal; supported: String, "
                        + "Integer, Long, Short, Byte, Float, Double, Boolean, Instant, Duration, null, Collection, "
                        + "Map<String, ?>, BlobValue, StructuredDatasetValue, GenericValue");
    }

    private static String mapKey(Object key) {
        if (key instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("Flyte map literal keys must be strings, got "
                + (key == null ? "null" : key.getClass().getName()));
    }

    // `path` names the input and the position inside it (files[2], config.mode) so that a rejection
    // deep inside a collection still tells the author which input to change; null when unnamed.
    private static Object toValue(Literal literal, String path) {
        return switch (literal.getValueCase()) {
            case SCALAR -> scalarValue(literal.getScalar(), path);
            case COLLECTION -> {
                List<Object> list = new ArrayList<>(literal.getCollection().getLiteralsCount());
                int i = 0;
                for (Literal element : literal.getCollection().getLiteralsList()) {
                    list.add(toValue(element, (path == null ? "" : path) + "[" + i++ + "]"));
                }
                yield list;
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                literal.getMap()
                        .getLiteralsMap()
                        .forEach((key, element) ->
                                map.put(key, toValue(element, path == null ? key : path + "." + key)));
                yield map;
            }
            case OFFLOADED_METADATA ->
                throw new UnsupportedLiteralException(
                        path,
                        "offloaded",
                        "Flyte stored the value at "
                                + literal.getOffloadedMetadata().getUri()
                                + " because it was too large to send inline; pass a smaller value, or a FlyteFile "
                                + "that points at the data, to the sensor.");
            case VALUE_NOT_SET -> throw empty(literal, path);
        };
    }

    private static Object scalarValue(Scalar scalar, String path) {
        return switch (scalar.getValueCase()) {
            case PRIMITIVE -> primitiveValue(scalar.getPrimitive(), path);
            case NONE_TYPE -> null;
            case BLOB -> {
                Blob blob = scalar.getBlob();
                BlobType type = blob.getMetadata().getType();
                yield new BlobValue(
                        blob.getUri(), type.getFormat(), type.getDimensionality() == BlobDimensionality.MULTIPART);
            }
            case STRUCTURED_DATASET -> {
                StructuredDataset dataset = scalar.getStructuredDataset();
                yield new StructuredDatasetValue(
                        dataset.getUri(),
                        dataset.getMetadata().getStructuredDatasetType().getFormat());
            }
            case GENERIC -> new GenericValue(Structs.toMap(scalar.getGeneric()));
            case UNION -> toValue(scalar.getUnion().getValue(), path);
            case BINARY -> binaryValue(scalar.getBinary(), path);
            case ERROR ->
                throw new UnsupportedLiteralException(
                        path,
                        "error",
                        "an upstream node failed and its error was bound to this input ("
                                + scalar.getError().getMessage() + "); fix the upstream node or bind a value.");
            case SCHEMA ->
                throw new UnsupportedLiteralException(
                        path, "schema", "FlyteSchema is deprecated; pass a StructuredDataset instead.");
            case VALUE_NOT_SET -> throw empty(scalar, path);
        };
    }

    /** flytekit's MessagePack (dataclasses, Pydantic models, untyped dicts); other serializations are refused. */
    private static BinaryValue binaryValue(Literals.Binary binary, String path) {
        if (!BinaryValue.MSGPACK.equals(binary.getTag())) {
            throw new UnsupportedLiteralException(
                    path,
                    "binary",
                    "its bytes are serialized" + tag(binary.getTag()) + ", and this connector reads only "
                            + "MessagePack (tag 'msgpack'), which flytekit writes for dataclasses, Pydantic models "
                            + "and untyped dicts; pass the value as one of those, or as a plain type.");
        }
        try {
            return BinaryValue.msgpack(binary.getValue());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedLiteralException(
                    path,
                    "binary",
                    "it is tagged 'msgpack', but its bytes are no MessagePack value: " + e.getMessage()
                            + "; send it as flytekit serializes it.");
        }
    }

    private static Object primitiveValue(Primitive primitive, String path) {
        return switch (primitive.getValueCase()) {
            case INTEGER -> primitive.getInteger();
            case FLOAT_VALUE -> primitive.getFloatValue();
            case STRING_VALUE -> primitive.getStringValue();
            case BOOLEAN -> primitive.getBoolean();
            case DATETIME ->
                inRange(
                        path,
                        "datetime",
                        () -> Instant.ofEpochSecond(
                                primitive.getDatetime().getSeconds(),
                                primitive.getDatetime().getNanos()));
            case DURATION ->
                inRange(
                        path,
                        "duration",
                        () -> Duration.ofSeconds(
                                primitive.getDuration().getSeconds(),
                                primitive.getDuration().getNanos()));
            case VALUE_NOT_SET -> throw empty(primitive, path);
        };
    }

    /** A datetime or duration whose seconds and nanos overflow Java's time types is refused, not an internal error. */
    private static Object inRange(String path, String kind, Supplier<Object> value) {
        try {
            return value.get();
        } catch (DateTimeException | ArithmeticException e) {
            throw new UnsupportedLiteralException(
                    path,
                    "out-of-range " + kind,
                    "its seconds and nanos are beyond what a " + kind + " can hold; pass a " + kind
                            + " within the calendar (Python's datetime and timedelta always are).");
        }
    }

    private static String tag(String tag) {
        return tag.isEmpty() ? "" : " (tag '" + tag + "')";
    }

    // A kind added to flyteidl after ours arrives as an unknown field with no value case set: name it as such
    // rather than blame the client for leaving the value out.
    private static UnsupportedLiteralException empty(Message message, String path) {
        var unknown = message.getUnknownFields().asMap().keySet();
        if (!unknown.isEmpty()) {
            return new UnsupportedLiteralException(
                    path,
                    "unknown",
                    "it sets field " + unknown.iterator().next() + " of "
                            + message.getDescriptorForType().getFullName()
                            + ", a kind of value this connector's flyteidl does not know; pass a plain value, a "
                            + "collection, a map, a FlyteFile or a StructuredDataset instead.");
        }
        return new UnsupportedLiteralException(
                path,
                "empty",
                "the literal sets no value, so the client that built the request left it out; "
                        + "pass a value, or None for an optional input.");
    }
}
