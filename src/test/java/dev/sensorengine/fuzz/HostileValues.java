package dev.sensorengine.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.sensorengine.flyteidl.core.Literals.Binary;
import dev.sensorengine.flyteidl.core.Literals.Blob;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.LiteralCollection;
import dev.sensorengine.flyteidl.core.Literals.LiteralMap;
import dev.sensorengine.flyteidl.core.Literals.LiteralOffloadedMetadata;
import dev.sensorengine.flyteidl.core.Literals.Primitive;
import dev.sensorengine.flyteidl.core.Literals.Scalar;
import dev.sensorengine.flyteidl.core.Literals.Schema;
import dev.sensorengine.flyteidl.core.Literals.StructuredDataset;
import dev.sensorengine.flyteidl.core.Literals.Union;
import dev.sensorengine.flyteidl.core.Literals.Void;
import dev.sensorengine.flyteidl.core.Types.Error;
import dev.sensorengine.literals.Structs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Values meant to break a parser or a conversion: strings that are empty, huge, control characters or odd
 * Unicode; NaN and infinite numbers; durations and timestamps outside every range; deep nesting; and Flyte
 * literals of every kind, including the kinds a sensor cannot take.
 */
final class HostileValues {

    /** A request field this long is still under gRPC's 4 MiB message limit. */
    static final int HUGE = 1 << 20;

    private HostileValues() {}

    static Arbitrary<String> strings() {
        return rawStrings().map(HostileValues::wellFormed);
    }

    /**
     * Protobuf sends an unpaired surrogate as '?' (and logs that it did): the server never sees one. Bytes that are
     * not UTF-8 reach it through {@link ByteMutation} instead.
     */
    private static String wellFormed(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static Arbitrary<String> rawStrings() {
        return Arbitraries.frequencyOf(
                Tuple.of(
                        4,
                        Arbitraries.of(
                                "",
                                " ",
                                "\u0000",
                                "\n\r\t",
                                "\u001b[31mred\u001b[0m",
                                "../../../../etc/passwd",
                                "%s%n%x{}{}",
                                "${jndi:ldap://127.0.0.1:1/x}",
                                "'; DROP TABLE t; --",
                                "{\"v\":1}",
                                "null",
                                "\uFEFF",
                                "\u202Egnp.exe",
                                "e\u0301\u0301\u0301",
                                "\uD83D\uDE00\uD83D",
                                "\uDC00",
                                "\u2028\u2029",
                                "a:b:c",
                                "%3A%25",
                                "flyte-sensor:",
                                "NaN",
                                "-1",
                                "9".repeat(40),
                                "sensor",
                                "FileSensor",
                                "/",
                                "\\\\server\\share",
                                "file:///etc/shadow",
                                "http://127.0.0.1:1/x",
                                "30s",
                                "-5s",
                                "PT-1H",
                                "P999999999999D",
                                "99999999999999999999d",
                                "1e309",
                                "\t30s\n")),
                Tuple.of(4, Arbitraries.strings().ofMaxLength(40)),
                Tuple.of(
                        2,
                        Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(20)),
                Tuple.of(
                        1,
                        Arbitraries.integers()
                                .between(10_000, HUGE)
                                .flatMap(length -> Arbitraries.of("x", "\u00e9", "\uD83D\uDE00", "\u0000")
                                        .map(unit -> unit.repeat(Math.max(1, length / unit.length()))))));
    }

    /** Hostile strings short enough for keys and names. */
    static Arbitrary<String> shortStrings() {
        return Arbitraries.oneOf(
                        Arbitraries.of("", "\u0000", "\n", "\uD83D\uDE00", "\uDC00", "a:b", "%", "\u202E", " "),
                        Arbitraries.strings().ofMaxLength(20))
                .map(HostileValues::wellFormed);
    }

    static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        Double.NaN,
                        Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY,
                        -0.0,
                        Double.MIN_VALUE,
                        Double.MAX_VALUE,
                        -Double.MAX_VALUE,
                        -1.0,
                        0.0,
                        1e18,
                        9.3e15,
                        1e-9,
                        0.0004),
                Arbitraries.doubles());
    }

    static Arbitrary<Long> longs() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        Long.MIN_VALUE,
                        Long.MAX_VALUE,
                        0L,
                        -1L,
                        315_576_000_001L,
                        -315_576_000_001L,
                        31_556_889_864_403_199L,
                        -31_557_014_167_219_200L),
                Arbitraries.longs());
    }

    static Arbitrary<Integer> nanos() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, -1, 999_999_999, 1_000_000_000, Integer.MIN_VALUE, Integer.MAX_VALUE),
                Arbitraries.integers());
    }

    static Arbitrary<Duration> durations() {
        return Combinators.combine(longs(), nanos())
                .as((seconds, nanos) -> Duration.newBuilder()
                        .setSeconds(seconds)
                        .setNanos(nanos)
                        .build());
    }

    static Arbitrary<Timestamp> timestamps() {
        return Combinators.combine(longs(), nanos())
                .as((seconds, nanos) -> Timestamp.newBuilder()
                        .setSeconds(seconds)
                        .setNanos(nanos)
                        .build());
    }

    /** A plain Java value as a Struct field holds it: null, boolean, number, string, nested maps and lists. */
    static Arbitrary<Object> structValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, strings().map(s -> (Object) s)),
                Tuple.of(3, doubles().map(d -> (Object) d)),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(
                        1,
                        Arbitraries.lazy(HostileValues::structValues)
                                .list()
                                .ofMaxSize(3)
                                .map(list -> (Object) list)),
                Tuple.of(
                        1,
                        Arbitraries.maps(shortStrings(), Arbitraries.lazy(HostileValues::structValues))
                                .ofMaxSize(3)
                                .map(map -> (Object) map)));
    }

    /** A Struct value nested {@code depth} levels deep, alternating lists and structs. */
    static Value nested(int depth) {
        Value value = Value.newBuilder().setStringValue("bottom").build();
        for (int level = 0; level < depth; level++) {
            value = level % 2 == 0
                    ? Value.newBuilder()
                            .setListValue(ListValue.newBuilder().addValues(value))
                            .build()
                    : Value.newBuilder()
                            .setStructValue(Struct.newBuilder().putFields("k", value))
                            .build();
        }
        return value;
    }

    /** Nesting depths on both sides of protobuf's parser limit of 100. */
    static Arbitrary<Integer> depths() {
        return Arbitraries.oneOf(
                Arbitraries.of(1, 33, 34, 50, 99, 100, 101, 200),
                Arbitraries.integers().between(1, 250));
    }

    /** Literals of every kind, with hostile contents: what a sensor input may arrive as. */
    static Arbitrary<Literal> literals() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, strings().map(s -> primitive(Primitive.newBuilder().setStringValue(s)))),
                Tuple.of(1, longs().map(n -> primitive(Primitive.newBuilder().setInteger(n)))),
                Tuple.of(1, doubles().map(d -> primitive(Primitive.newBuilder().setFloatValue(d)))),
                Tuple.of(
                        1,
                        Arbitraries.of(true, false)
                                .map(b -> primitive(Primitive.newBuilder().setBoolean(b)))),
                Tuple.of(
                        2,
                        timestamps().map(t -> primitive(Primitive.newBuilder().setDatetime(t)))),
                Tuple.of(
                        2, durations().map(d -> primitive(Primitive.newBuilder().setDuration(d)))),
                Tuple.of(1, Arbitraries.just(scalar(Scalar.newBuilder().setNoneType(Void.getDefaultInstance())))),
                Tuple.of(
                        1,
                        strings()
                                .map(uri -> scalar(Scalar.newBuilder()
                                        .setBlob(Blob.newBuilder().setUri(uri))))),
                Tuple.of(
                        1,
                        strings()
                                .map(uri -> scalar(Scalar.newBuilder()
                                        .setStructuredDataset(
                                                StructuredDataset.newBuilder().setUri(uri))))),
                Tuple.of(
                        1,
                        strings()
                                .map(tag -> scalar(Scalar.newBuilder()
                                        .setBinary(Binary.newBuilder()
                                                .setValue(ByteString.copyFromUtf8("\u0081\u00a4path"))
                                                .setTag(tag))))),
                Tuple.of(
                        1,
                        strings()
                                .map(message -> scalar(Scalar.newBuilder()
                                        .setError(Error.newBuilder()
                                                .setFailedNodeId("n1")
                                                .setMessage(message))))),
                Tuple.of(
                        1,
                        strings()
                                .map(uri -> scalar(Scalar.newBuilder()
                                        .setSchema(Schema.newBuilder().setUri(uri))))),
                Tuple.of(
                        1,
                        strings()
                                .map(uri -> Literal.newBuilder()
                                        .setOffloadedMetadata(LiteralOffloadedMetadata.newBuilder()
                                                .setUri(uri)
                                                .setSizeBytes(Long.MAX_VALUE))
                                        .build())),
                Tuple.of(
                        1,
                        Arbitraries.lazy(HostileValues::literals)
                                .map(inner -> scalar(Scalar.newBuilder()
                                        .setUnion(Union.newBuilder().setValue(inner))))),
                Tuple.of(
                        1,
                        Arbitraries.lazy(HostileValues::literals)
                                .list()
                                .ofMaxSize(3)
                                .map(list -> Literal.newBuilder()
                                        .setCollection(
                                                LiteralCollection.newBuilder().addAllLiterals(list))
                                        .build())),
                Tuple.of(
                        1,
                        Arbitraries.maps(shortStrings(), Arbitraries.lazy(HostileValues::literals))
                                .ofMaxSize(3)
                                .map(map -> Literal.newBuilder()
                                        .setMap(LiteralMap.newBuilder().putAllLiterals(map))
                                        .build())),
                Tuple.of(
                        1,
                        structValues()
                                .map(v -> scalar(Scalar.newBuilder()
                                        .setGeneric(Struct.newBuilder().putFields("v", Structs.toValue(v)))))),
                Tuple.of(
                        1,
                        depths().map(depth -> scalar(Scalar.newBuilder()
                                .setGeneric(Struct.newBuilder().putFields("deep", nested(depth)))))),
                Tuple.of(1, depths().map(HostileValues::nestedCollection)),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                Literal.getDefaultInstance(),
                                Literal.newBuilder()
                                        .setScalar(Scalar.getDefaultInstance())
                                        .build(),
                                primitive(Primitive.newBuilder()))));
    }

    /** A collection literal nested {@code depth} levels deep. */
    static Literal nestedCollection(int depth) {
        Literal literal = primitive(Primitive.newBuilder().setStringValue("bottom"));
        for (int level = 0; level < depth; level++) {
            literal = Literal.newBuilder()
                    .setCollection(LiteralCollection.newBuilder().addLiterals(literal))
                    .build();
        }
        return literal;
    }

    /** A Struct of hostile fields, as a TaskTemplate.custom or sensor_config may be. */
    static Arbitrary<Map<String, Object>> configs() {
        Arbitrary<String> keys = Arbitraries.oneOf(
                Arbitraries.of(
                        "poke_interval",
                        "max_poke_interval",
                        "timeout",
                        "backoff",
                        "connection",
                        "match",
                        "request_timeout",
                        "method",
                        "expect_status",
                        "json_pointer",
                        "json_equals",
                        "response_contains",
                        "fail_on_empty",
                        "query_timeout"),
                shortStrings());
        return Arbitraries.maps(keys, structValues()).ofMaxSize(5);
    }

    static Value nullValue() {
        return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }

    static List<String> knownSensorNames() {
        return List.of("FileSensor", "HttpSensor", "SqlSensor", "TimeDeltaSensor", "DateTimeSensor");
    }

    private static Literal primitive(Primitive.Builder primitive) {
        return scalar(Scalar.newBuilder().setPrimitive(primitive));
    }

    private static Literal scalar(Scalar.Builder scalar) {
        return Literal.newBuilder().setScalar(scalar).build();
    }
}
