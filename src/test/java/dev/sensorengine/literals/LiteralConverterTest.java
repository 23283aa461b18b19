package dev.sensorengine.literals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import dev.sensorengine.flyteidl.core.Literals;
import dev.sensorengine.flyteidl.core.Literals.Binary;
import dev.sensorengine.flyteidl.core.Literals.Blob;
import dev.sensorengine.flyteidl.core.Literals.BlobMetadata;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.LiteralCollection;
import dev.sensorengine.flyteidl.core.Literals.LiteralMap;
import dev.sensorengine.flyteidl.core.Literals.LiteralOffloadedMetadata;
import dev.sensorengine.flyteidl.core.Literals.Primitive;
import dev.sensorengine.flyteidl.core.Literals.Scalar;
import dev.sensorengine.flyteidl.core.Literals.Schema;
import dev.sensorengine.flyteidl.core.Literals.StructuredDataset;
import dev.sensorengine.flyteidl.core.Literals.StructuredDatasetMetadata;
import dev.sensorengine.flyteidl.core.Literals.Union;
import dev.sensorengine.flyteidl.core.Types;
import dev.sensorengine.flyteidl.core.Types.BlobType;
import dev.sensorengine.flyteidl.core.Types.BlobType.BlobDimensionality;
import dev.sensorengine.flyteidl.core.Types.LiteralType;
import dev.sensorengine.flyteidl.core.Types.SimpleType;
import dev.sensorengine.flyteidl.core.Types.StructuredDatasetType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LiteralConverterTest {

    private static Literal primitive(Primitive p) {
        return Literal.newBuilder()
                .setScalar(Scalar.newBuilder().setPrimitive(p))
                .build();
    }

    private static Literal scalar(Scalar.Builder s) {
        return Literal.newBuilder().setScalar(s).build();
    }

    private static Literal none() {
        return scalar(Scalar.newBuilder().setNoneType(Literals.Void.getDefaultInstance()));
    }

    private static Literal blob(String uri, String format, BlobDimensionality dim) {
        return scalar(Scalar.newBuilder()
                .setBlob(Blob.newBuilder()
                        .setUri(uri)
                        .setMetadata(BlobMetadata.newBuilder()
                                .setType(BlobType.newBuilder().setFormat(format).setDimensionality(dim)))));
    }

    private static Literal structuredDataset(String uri, String format) {
        return scalar(Scalar.newBuilder()
                .setStructuredDataset(StructuredDataset.newBuilder()
                        .setUri(uri)
                        .setMetadata(StructuredDatasetMetadata.newBuilder()
                                .setStructuredDatasetType(
                                        StructuredDatasetType.newBuilder().setFormat(format)))));
    }

    private static Literal collection(Literal... literals) {
        return Literal.newBuilder()
                .setCollection(LiteralCollection.newBuilder().addAllLiterals(Arrays.asList(literals)))
                .build();
    }

    private static Literal map(Map<String, Literal> literals) {
        return Literal.newBuilder()
                .setMap(LiteralMap.newBuilder().putAllLiterals(literals))
                .build();
    }

    private static Struct sampleStruct() {
        return Struct.newBuilder()
                .putFields(
                        "sensor_module",
                        Value.newBuilder()
                                .setStringValue("flytekit.sensor.file_sensor")
                                .build())
                .putFields("retries", Value.newBuilder().setNumberValue(3).build())
                .putFields("enabled", Value.newBuilder().setBoolValue(true).build())
                .build();
    }

    /** Each literal kind with the Java value it must convert to, exactly and in both directions. */
    static Stream<Arguments> roundTrips() {
        Map<String, Literal> innerMap = new LinkedHashMap<>();
        innerMap.put("b", primitive(Primitive.newBuilder().setInteger(2).build()));
        innerMap.put(
                "a",
                collection(primitive(Primitive.newBuilder().setStringValue("x").build()), none()));
        Map<String, Object> innerValue = new LinkedHashMap<>();
        innerValue.put("b", 2L);
        innerValue.put("a", Arrays.asList("x", null));

        return Stream.of(
                Arguments.of(
                        "integer",
                        primitive(Primitive.newBuilder().setInteger(-42).build()),
                        -42L),
                Arguments.of(
                        "integer max",
                        primitive(Primitive.newBuilder()
                                .setInteger(Long.MAX_VALUE)
                                .build()),
                        Long.MAX_VALUE),
                Arguments.of(
                        "float",
                        primitive(Primitive.newBuilder().setFloatValue(2.5).build()),
                        2.5d),
                Arguments.of(
                        "integral float",
                        primitive(Primitive.newBuilder().setFloatValue(3.0).build()),
                        3.0d),
                Arguments.of(
                        "string",
                        primitive(Primitive.newBuilder()
                                .setStringValue("s3://b/k")
                                .build()),
                        "s3://b/k"),
                Arguments.of(
                        "empty string",
                        primitive(Primitive.newBuilder().setStringValue("").build()),
                        ""),
                Arguments.of(
                        "boolean",
                        primitive(Primitive.newBuilder().setBoolean(true).build()),
                        true),
                Arguments.of(
                        "datetime with nanos",
                        primitive(Primitive.newBuilder()
                                .setDatetime(Timestamp.newBuilder()
                                        .setSeconds(1714564800L)
                                        .setNanos(123456789))
                                .build()),
                        Instant.parse("2024-05-01T12:00:00.123456789Z")),
                Arguments.of(
                        "datetime before epoch",
                        primitive(Primitive.newBuilder()
                                .setDatetime(
                                        Timestamp.newBuilder().setSeconds(-1).setNanos(500))
                                .build()),
                        Instant.ofEpochSecond(-1, 500)),
                Arguments.of(
                        "duration",
                        primitive(Primitive.newBuilder()
                                .setDuration(com.google.protobuf.Duration.newBuilder()
                                        .setSeconds(5400)
                                        .setNanos(7))
                                .build()),
                        Duration.ofSeconds(5400, 7)),
                Arguments.of("none", none(), null),
                Arguments.of(
                        "blob single",
                        blob("s3://b/file.csv", "csv", BlobDimensionality.SINGLE),
                        new BlobValue("s3://b/file.csv", "csv", false)),
                Arguments.of(
                        "blob multipart",
                        blob("s3://b/dir/", "", BlobDimensionality.MULTIPART),
                        new BlobValue("s3://b/dir/", "", true)),
                Arguments.of(
                        "structured dataset",
                        structuredDataset("s3://b/t.parquet", "parquet"),
                        new StructuredDatasetValue("s3://b/t.parquet", "parquet")),
                Arguments.of(
                        "generic struct",
                        scalar(Scalar.newBuilder().setGeneric(sampleStruct())),
                        new GenericValue(Map.of(
                                "sensor_module", "flytekit.sensor.file_sensor", "retries", 3.0d, "enabled", true))),
                Arguments.of("empty collection", collection(), List.of()),
                Arguments.of(
                        "nested collections",
                        collection(
                                collection(primitive(
                                        Primitive.newBuilder().setInteger(1).build())),
                                collection()),
                        List.of(List.of(1L), List.of())),
                Arguments.of("nested map", map(Map.of("outer", map(innerMap))), Map.of("outer", innerValue)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void literalToJavaAndBack(String kind, Literal literal, Object expected) {
        Object value = LiteralConverter.toValue(literal);

        assertThat(value).isEqualTo(expected);
        assertThat(LiteralConverter.toLiteral(value)).isEqualTo(literal);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void javaToLiteralAndBack(String kind, Literal literal, Object expected) {
        Literal converted = LiteralConverter.toLiteral(expected);

        assertThat(converted).isEqualTo(literal);
        assertThat(LiteralConverter.toValue(converted)).isEqualTo(expected);
    }

    @Test
    void valueTypesAreTheDocumentedJavaTypes() {
        assertThat(LiteralConverter.toValue(
                        primitive(Primitive.newBuilder().setInteger(7).build())))
                .isInstanceOf(Long.class);
        assertThat(LiteralConverter.toValue(
                        primitive(Primitive.newBuilder().setFloatValue(7).build())))
                .isInstanceOf(Double.class);
    }

    @Test
    void narrowerJavaNumbersWiden() {
        assertThat(LiteralConverter.toLiteral(5).getScalar().getPrimitive().getInteger())
                .isEqualTo(5L);
        assertThat(LiteralConverter.toLiteral((short) 6)
                        .getScalar()
                        .getPrimitive()
                        .getInteger())
                .isEqualTo(6L);
        assertThat(LiteralConverter.toLiteral((byte) 7)
                        .getScalar()
                        .getPrimitive()
                        .getInteger())
                .isEqualTo(7L);
        assertThat(LiteralConverter.toLiteral(1.5f).getScalar().getPrimitive().getFloatValue())
                .isEqualTo(1.5d);
        assertThat(LiteralConverter.toValue(LiteralConverter.toLiteral(5))).isEqualTo(5L);
    }

    @Test
    void unionUnwrapsToItsValue() {
        Literal inner =
                primitive(Primitive.newBuilder().setStringValue("s3://b/k").build());
        Literal union = scalar(Scalar.newBuilder()
                .setUnion(Union.newBuilder()
                        .setValue(inner)
                        .setType(LiteralType.newBuilder().setSimple(SimpleType.STRING))));
        Literal optionalNone = scalar(Scalar.newBuilder()
                .setUnion(Union.newBuilder()
                        .setValue(none())
                        .setType(LiteralType.newBuilder().setSimple(SimpleType.NONE))));

        assertThat(LiteralConverter.toValue(union)).isEqualTo("s3://b/k");
        assertThat(LiteralConverter.toValue(optionalNone)).isNull();
        // Converting back gives the plain literal: the union wrapper is deliberately not kept.
        assertThat(LiteralConverter.toLiteral(LiteralConverter.toValue(union))).isEqualTo(inner);
    }

    @Test
    void unionInsideCollectionUnwraps() {
        Literal union = scalar(Scalar.newBuilder()
                .setUnion(Union.newBuilder()
                        .setValue(primitive(Primitive.newBuilder().setInteger(3).build()))));

        assertThat(LiteralConverter.toValue(collection(union))).isEqualTo(List.of(3L));
    }

    @Test
    void structuredDatasetKeepsOnlyUriAndFormat() {
        Literal withColumns = scalar(Scalar.newBuilder()
                .setStructuredDataset(StructuredDataset.newBuilder()
                        .setUri("bq://p.d.t")
                        .setMetadata(StructuredDatasetMetadata.newBuilder()
                                .setStructuredDatasetType(StructuredDatasetType.newBuilder()
                                        .setFormat("")
                                        .addColumns(StructuredDatasetType.DatasetColumn.newBuilder()
                                                .setName("id")
                                                .setLiteralType(
                                                        LiteralType.newBuilder().setSimple(SimpleType.INTEGER)))))));

        assertThat(LiteralConverter.toValue(withColumns)).isEqualTo(new StructuredDatasetValue("bq://p.d.t", ""));
    }

    @Test
    void literalMapKeepsOrderAndNames() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("path", "s3://b/k");
        values.put("min_size", 10L);
        values.put("deadline", Instant.parse("2030-01-01T00:00:00Z"));
        values.put("optional", null);

        LiteralMap literalMap = LiteralConverter.toLiteralMap(values);
        Map<String, Object> back = LiteralConverter.toValues(literalMap);

        assertThat(literalMap.getLiteralsMap()).containsOnlyKeys("path", "min_size", "deadline", "optional");
        assertThat(back).isEqualTo(values);
        assertThat(back.keySet()).containsExactly("path", "min_size", "deadline", "optional");
        assertThat(back).isInstanceOf(LinkedHashMap.class);
    }

    @Test
    void wireRoundTripKeepsValues() throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("files", List.of(new BlobValue("s3://b/a", "", false), new BlobValue("s3://b/d", "", true)));
        values.put("window", Duration.ofMinutes(90));
        values.put("cfg", new GenericValue(Map.of("x", List.of(1.0, "two"))));

        LiteralMap parsed =
                LiteralMap.parseFrom(LiteralConverter.toLiteralMap(values).toByteArray());

        assertThat(LiteralConverter.toValues(parsed)).isEqualTo(values);
    }

    // --- rejections -------------------------------------------------------------------------

    @Test
    void msgpackBinaryIsTheValueItHoldsAndConvertsBackToTheSameBytes() {
        // flytekit's TypeEngine for the fixtures' Point(x=1, y=2.5, label="p") dataclass.
        ByteString bytes = ByteString.fromHex("83a17801a179cb4004000000000000a56c6162656ca170");
        Literal binary = scalar(Scalar.newBuilder()
                .setBinary(Binary.newBuilder().setValue(bytes).setTag("msgpack")));

        Map<String, Object> values = LiteralConverter.toValues(
                LiteralMap.newBuilder().putLiterals("point", binary).build());

        assertThat(values.get("point"))
                .isEqualTo(new BinaryValue("msgpack", bytes, Map.of("x", 1L, "y", 2.5, "label", "p")));
        assertThat(PlainValues.of(values)).isEqualTo(Map.of("point", Map.of("x", 1L, "y", 2.5, "label", "p")));
        assertThat(LiteralConverter.toLiteral(values.get("point"))).isEqualTo(binary);
    }

    @Test
    void rejectsBinaryOfAnotherTagNamingInputKindAndRemedy() {
        Literal binary = scalar(Scalar.newBuilder()
                .setBinary(Binary.newBuilder()
                        .setValue(ByteString.copyFromUtf8("{}"))
                        .setTag("json")));
        LiteralMap inputs =
                LiteralMap.newBuilder().putLiterals("config", binary).build();

        assertThatThrownBy(() -> LiteralConverter.toValues(inputs))
                .isInstanceOfSatisfying(UnsupportedLiteralException.class, e -> {
                    assertThat(e.input()).isEqualTo("config");
                    assertThat(e.kind()).isEqualTo("binary");
                })
                .hasMessageStartingWith(
                        "Input 'config' is a binary literal, which the sensor connector does not support")
                .hasMessageContaining("serialized (tag 'json')")
                .hasMessageContaining("reads only MessagePack (tag 'msgpack')");
    }

    @Test
    void rejectsMsgpackBinaryWhoseBytesAreNoMessagePack() {
        Literal binary = scalar(Scalar.newBuilder()
                .setBinary(Binary.newBuilder()
                        .setValue(ByteString.copyFromUtf8("\u0081"))
                        .setTag("msgpack")));
        LiteralMap inputs =
                LiteralMap.newBuilder().putLiterals("config", binary).build();

        assertThatThrownBy(() -> LiteralConverter.toValues(inputs))
                .isInstanceOfSatisfying(
                        UnsupportedLiteralException.class,
                        e -> assertThat(e.kind()).isEqualTo("binary"))
                .hasMessageStartingWith("Input 'config' is a binary literal")
                .hasMessageContaining("tagged 'msgpack', but its bytes are no MessagePack value");
    }

    @Test
    void rejectsError() {
        Literal error = scalar(Scalar.newBuilder()
                .setError(Types.Error.newBuilder().setFailedNodeId("n0").setMessage("boom")));

        assertThatThrownBy(() -> LiteralConverter.toValues(
                        LiteralMap.newBuilder().putLiterals("upstream", error).build()))
                .isInstanceOfSatisfying(
                        UnsupportedLiteralException.class,
                        e -> assertThat(e.kind()).isEqualTo("error"))
                .hasMessageStartingWith("Input 'upstream' is an error literal")
                .hasMessageContaining("boom")
                .hasMessageContaining("fix the upstream node");
    }

    @Test
    void rejectsOffloadedLiteralNamingTheLocation() {
        Literal offloaded = Literal.newBuilder()
                .setOffloadedMetadata(LiteralOffloadedMetadata.newBuilder()
                        .setUri("s3://b/offloaded/in.pb")
                        .setSizeBytes(20_000_000))
                .build();

        assertThatThrownBy(() -> LiteralConverter.toValues(
                        LiteralMap.newBuilder().putLiterals("big", offloaded).build()))
                .isInstanceOfSatisfying(
                        UnsupportedLiteralException.class,
                        e -> assertThat(e.kind()).isEqualTo("offloaded"))
                .hasMessageStartingWith("Input 'big' is an offloaded literal")
                .hasMessageContaining("s3://b/offloaded/in.pb")
                .hasMessageContaining("pass a smaller value");
    }

    @Test
    void rejectsSchema() {
        Literal schema =
                scalar(Scalar.newBuilder().setSchema(Schema.newBuilder().setUri("s3://b/schema")));

        assertThatThrownBy(() -> LiteralConverter.toValues(
                        LiteralMap.newBuilder().putLiterals("table", schema).build()))
                .isInstanceOfSatisfying(
                        UnsupportedLiteralException.class,
                        e -> assertThat(e.kind()).isEqualTo("schema"))
                .hasMessageStartingWith("Input 'table' is a schema literal")
                .hasMessageContaining("pass a StructuredDataset instead");
    }

    @Test
    void rejectsEmptyLiteralScalarAndPrimitive() {
        Literal emptyLiteral = Literal.getDefaultInstance();
        Literal emptyScalar = scalar(Scalar.newBuilder());
        Literal emptyPrimitive = primitive(Primitive.getDefaultInstance());

        for (Literal empty : List.of(emptyLiteral, emptyScalar, emptyPrimitive)) {
            assertThatThrownBy(() -> LiteralConverter.toValues(
                            LiteralMap.newBuilder().putLiterals("path", empty).build()))
                    .isInstanceOfSatisfying(
                            UnsupportedLiteralException.class,
                            e -> assertThat(e.kind()).isEqualTo("empty"))
                    .hasMessageStartingWith("Input 'path' is an empty literal")
                    .hasMessageContaining("pass a value");
        }
    }

    @Test
    void rejectionInsideCollectionsNamesThePath() {
        Literal binary =
                scalar(Scalar.newBuilder().setBinary(Binary.newBuilder().setTag("msgpack")));
        Literal nested = map(Map.of("inner", collection(none(), binary)));

        assertThatThrownBy(() -> LiteralConverter.toValues(
                        LiteralMap.newBuilder().putLiterals("cfg", nested).build()))
                .isInstanceOfSatisfying(
                        UnsupportedLiteralException.class,
                        e -> assertThat(e.input()).isEqualTo("cfg.inner[1]"))
                .hasMessageStartingWith("Input 'cfg.inner[1]' is a binary literal");
    }

    @Test
    void rejectionWithoutNameSaysALiteral() {
        assertThatThrownBy(() -> LiteralConverter.toValue(Literal.getDefaultInstance()))
                .isInstanceOfSatisfying(
                        UnsupportedLiteralException.class,
                        e -> assertThat(e.input()).isNull())
                .hasMessageStartingWith("A literal is an empty literal");
    }

    @Test
    void rejectsUnknownJavaTypeNamingIt() {
        assertThatThrownBy(() -> LiteralConverter.toLiteral(new BigDecimal("1.5")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.math.BigDecimal");
        assertThatThrownBy(() -> LiteralConverter.toLiteralMap(Map.of("when", LocalDate.of(2024, 1, 1))))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.time.LocalDate");
        assertThatThrownBy(() -> LiteralConverter.toLiteral(List.of(new Object())))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void rejectsNonStringMapKeys() {
        Map<Object, Object> bad = new LinkedHashMap<>();
        bad.put(1, "one");

        assertThatThrownBy(() -> LiteralConverter.toLiteral(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer");
    }

    @Test
    void collectionOfNullsConverts() {
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);

        assertThat(LiteralConverter.toLiteral(withNull)).isEqualTo(collection(none()));
    }

    // --- every kind flyteidl defines -------------------------------------------------------

    /** One literal per kind of {@code Literal.value} and {@code Scalar.value}, the scalar kinds wrapped in a literal. */
    private static Map<String, Literal> oneOfEachKind() {
        Map<String, Literal> kinds = new LinkedHashMap<>();
        kinds.put("literal " + Literal.ValueCase.COLLECTION, collection(none()));
        kinds.put("literal " + Literal.ValueCase.MAP, map(Map.of("k", none())));
        kinds.put(
                "literal " + Literal.ValueCase.OFFLOADED_METADATA,
                Literal.newBuilder()
                        .setOffloadedMetadata(
                                LiteralOffloadedMetadata.newBuilder().setUri("s3://b/o"))
                        .build());
        kinds.put("literal " + Literal.ValueCase.VALUE_NOT_SET, Literal.getDefaultInstance());
        Map<Scalar.ValueCase, Scalar.Builder> scalars = new LinkedHashMap<>();
        scalars.put(
                Scalar.ValueCase.PRIMITIVE,
                Scalar.newBuilder().setPrimitive(Primitive.newBuilder().setInteger(1)));
        scalars.put(
                Scalar.ValueCase.BLOB,
                Scalar.newBuilder().setBlob(Blob.newBuilder().setUri("s3://b/f")));
        scalars.put(
                Scalar.ValueCase.BINARY,
                Scalar.newBuilder().setBinary(Binary.newBuilder().setTag("msgpack")));
        scalars.put(
                Scalar.ValueCase.SCHEMA,
                Scalar.newBuilder().setSchema(Schema.newBuilder().setUri("s3://b/s")));
        scalars.put(Scalar.ValueCase.NONE_TYPE, Scalar.newBuilder().setNoneType(Literals.Void.getDefaultInstance()));
        scalars.put(
                Scalar.ValueCase.ERROR,
                Scalar.newBuilder().setError(Types.Error.newBuilder().setMessage("boom")));
        scalars.put(Scalar.ValueCase.GENERIC, Scalar.newBuilder().setGeneric(sampleStruct()));
        scalars.put(
                Scalar.ValueCase.STRUCTURED_DATASET,
                Scalar.newBuilder()
                        .setStructuredDataset(StructuredDataset.newBuilder().setUri("s3://b/t")));
        scalars.put(
                Scalar.ValueCase.UNION,
                Scalar.newBuilder().setUnion(Union.newBuilder().setValue(none())));
        scalars.put(Scalar.ValueCase.VALUE_NOT_SET, Scalar.newBuilder());
        // A new kind in a regenerated flyteidl fails here until it is sorted into taken or refused.
        assertThat(scalars.keySet()).containsExactlyInAnyOrder(Scalar.ValueCase.values());
        scalars.forEach((kind, scalar) -> kinds.put("scalar " + kind, scalar(scalar)));
        assertThat(kinds.keySet().stream().filter(k -> k.startsWith("literal ")).count() + 1)
                .isEqualTo(Literal.ValueCase.values().length);
        return kinds;
    }

    @Test
    void everyKindIsTakenOrRefusedByName() {
        Map<String, String> refused = new LinkedHashMap<>();
        oneOfEachKind().forEach((kind, literal) -> {
            try {
                LiteralConverter.toValues(
                        LiteralMap.newBuilder().putLiterals("x", literal).build());
            } catch (UnsupportedLiteralException e) {
                assertThat(e.getMessage()).as(kind).matches("Input 'x' is an? " + e.kind() + " literal, .*");
                refused.put(kind, e.kind());
            }
        });

        assertThat(refused)
                .containsExactly(
                        Map.entry("literal OFFLOADED_METADATA", "offloaded"),
                        Map.entry("literal VALUE_NOT_SET", "empty"),
                        Map.entry("scalar BINARY", "binary"),
                        Map.entry("scalar SCHEMA", "schema"),
                        Map.entry("scalar ERROR", "error"),
                        Map.entry("scalar VALUE_NOT_SET", "empty"));
    }

    @Test
    void aKindNewerThanOurFlyteidlIsRefusedAsUnknownNotAsEmpty() {
        // Field 10 is in none of Literal, Scalar and Primitive of our flyteidl: a newer client's new kind.
        UnknownFieldSet newer = UnknownFieldSet.newBuilder()
                .addField(10, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .build();
        Literal newLiteral = Literal.newBuilder().setUnknownFields(newer).build();
        Literal newScalar = scalar(Scalar.newBuilder().setUnknownFields(newer));
        Literal newPrimitive =
                primitive(Primitive.newBuilder().setUnknownFields(newer).build());

        for (Literal literal : List.of(newLiteral, newScalar, newPrimitive)) {
            assertThatThrownBy(() -> LiteralConverter.toValues(
                            LiteralMap.newBuilder().putLiterals("x", literal).build()))
                    .isInstanceOfSatisfying(
                            UnsupportedLiteralException.class,
                            e -> assertThat(e.kind()).isEqualTo("unknown"))
                    .hasMessageStartingWith("Input 'x' is an unknown literal")
                    .hasMessageContaining("it sets field 10 of flyteidl.core.");
        }
    }

    @Test
    void anUnsupportedKindInsideAUnionIsRefusedByName() {
        Literal union = scalar(Scalar.newBuilder()
                .setUnion(Union.newBuilder()
                        .setValue(scalar(Scalar.newBuilder()
                                .setSchema(Schema.newBuilder().setUri("s3://b/s"))))));

        assertThatThrownBy(() -> LiteralConverter.toValues(
                        LiteralMap.newBuilder().putLiterals("x", union).build()))
                .hasMessageStartingWith("Input 'x' is a schema literal");
    }
}
