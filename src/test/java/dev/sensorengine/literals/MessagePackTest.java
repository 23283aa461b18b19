package dev.sensorengine.literals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MessagePack as flytekit 1.16 writes it. The byte strings were written by msgpack-python 1.x and by flytekit's own
 * {@code TypeEngine} (the tool venv's), not by hand.
 */
class MessagePackTest {

    @Test
    void aDataclassAsFlytekitWritesItIsTheObjectOfItsFields() {
        // flytekit TypeEngine.to_literal of D(when=datetime(2026, 1, 2, tzinfo=utc), delta=timedelta(seconds=5),
        // raw=b"\x00\x01", inner=Inner(a=1), opt=None, color=Color.RED, f=FlyteFile("s3://b/k"), big=2**64 - 1,
        // m={1: "x"}).
        Object value = read("89a47768656eb9323032362d30312d30325430303a30303a30302b30303a3030a564656c7461cb40140000"
                + "00000000a3726177c4020001a5696e6e657281a16101a36f7074c0a5636f6c6f72a3726564a16681a470617468a873333a"
                + "2f2f622f6ba3626967cfffffffffffffffffa16d8101a178");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("when", "2026-01-02T00:00:00+00:00");
        expected.put("delta", 5.0);
        expected.put("raw", "AAE=");
        expected.put("inner", Map.of("a", 1L));
        expected.put("opt", null);
        expected.put("color", "red");
        expected.put("f", Map.of("path", "s3://b/k"));
        expected.put("big", new BigInteger("18446744073709551615"));
        expected.put("m", Map.of("1", "x"));
        assertThat(value).isEqualTo(expected);
        assertThat(List.copyOf(((Map<?, ?>) value).keySet())).isEqualTo(List.copyOf(expected.keySet()));
    }

    @Test
    void everyIntegerFormReadsAsItsValue() {
        assertThat(read("dc0013007fcc80ccffcd0100cdffffce00010000cf0000000100000000ffe0d0dfd080d1ff7fd18000d2ffff7fff"
                        + "d280000000d3ffffffff7fffffffd38000000000000000cf7fffffffffffffff"))
                .isEqualTo(Arrays.asList(
                        0L,
                        127L,
                        128L,
                        255L,
                        256L,
                        65535L,
                        65536L,
                        4294967296L,
                        -1L,
                        -32L,
                        -33L,
                        -128L,
                        -129L,
                        -32768L,
                        -32769L,
                        -2147483648L,
                        -2147483649L,
                        Long.MIN_VALUE,
                        Long.MAX_VALUE));
    }

    @Test
    void floatsTextBytesNilAndBooleans() {
        assertThat(read("92cb3ff8000000000000cb8000000000000000")).isEqualTo(List.of(1.5, -0.0));
        assertThat(read("ca3fc00000")).isEqualTo(1.5);
        assertThat(read("d928" + "78".repeat(40))).isEqualTo("x".repeat(40));
        assertThat(read("c4030001ff")).isEqualTo("AAH/");
        assertThat(read("93c0c2c3")).isEqualTo(Arrays.asList(null, false, true));
        assertThat(read("a0")).isEqualTo("");
        assertThat(read("80")).isEqualTo(Map.of());
    }

    @Test
    void timestampsOfEachWidthAreInstants() {
        assertThat(read("d6ff69570a80")).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(read("d7ff7735940069570a80")).isEqualTo(Instant.parse("2026-01-02T00:00:00.5Z"));
        assertThat(read("c70cff000003e8fffffffffe201e00")).isEqualTo(Instant.parse("1969-01-02T00:00:00.000001Z"));
    }

    @Test
    void mapKeysBecomeTheirTextAsPythonsJsonWritesThem() {
        // msgpack.packb({1: "b", None: "c"}): json.dumps would write the keys "1" and "null".
        assertThat(read("8201a162c0a163")).isEqualTo(Map.of("1", "b", "null", "c"));
    }

    @Test
    void malformedBytesAreRefusedSayingWhereAndWhy() {
        assertRefused("", "ends in the middle of a value (1 bytes wanted, 0 left) (at byte 0)");
        assertRefused("c1", "0xc1 is no MessagePack type (at byte 0)");
        assertRefused("a3 6162", "announces 3 items or bytes, but only 2 bytes follow (at byte 1)");
        assertRefused("c0c0", "1 bytes follow the value (at byte 1)");
        assertRefused("a2c328", "text that is not UTF-8");
        assertRefused("82a161c0a161c0", "map key 'a' appears twice");
        assertRefused("8191c0c0", "a map key must be text, an integer, a boolean or nil, not an array (at byte 1)");
        assertRefused("81cb3ff8000000000000c0", "not Double");
        assertRefused("d40501", "extension type 5 is not one this connector reads");
        assertRefused("c703ff000000", "a timestamp of 3 bytes");
        assertRefused("d7ffffffffff00000000", "nanoseconds");
    }

    @Test
    void sizesBeyondTheBytesLeftAreRefusedBeforeAnythingIsAllocated() {
        assertRefused("ddffffffff", "announces 4294967295 items or bytes, but only 0 bytes follow");
        assertRefused("dfffffffff00", "announces 4294967295 items or bytes, but only 1 bytes follow");
        assertRefused("dbffffffff61", "announces 4294967295 items or bytes, but only 1 bytes follow");
        assertRefused("c6ffffffff", "announces 4294967295 items or bytes");
        assertRefused("c9ffffffffff", "announces 4294967295 items or bytes");
    }

    @Test
    void nestingStopsAtItsCeilingInsteadOfExhaustingTheStack() {
        byte[] deep = new byte[100_000];
        Arrays.fill(deep, (byte) 0x91); // an array of one array of one array ...
        assertThatThrownBy(() -> MessagePack.read(ByteString.copyFrom(deep)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("it nests deeper than 256 levels (at byte 256)");

        byte[] allowed = new byte[MessagePack.MAX_DEPTH];
        Arrays.fill(allowed, (byte) 0x91);
        allowed[allowed.length - 1] = (byte) 0x90; // the innermost is empty
        assertThat(Nesting.depthOfPlain(MessagePack.read(ByteString.copyFrom(allowed))))
                .isEqualTo(MessagePack.MAX_DEPTH);
    }

    private static Object read(String hex) {
        return MessagePack.read(ByteString.copyFrom(HexFormat.of().parseHex(hex.replace(" ", ""))));
    }

    private static void assertRefused(String hex, String message) {
        assertThatThrownBy(() -> read(hex))
                .as(hex)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
