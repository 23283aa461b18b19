package dev.sensorengine.literals;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one MessagePack value into plain Java values: what flytekit 1.16 sends a dataclass, a Pydantic model or an
 * untyped {@code dict} as ({@code Binary} literal, tag {@code msgpack}, written by mashumaro and msgpack-python).
 *
 * <p>nil → {@code null}; bool → {@link Boolean}; int → {@link Long}, or {@link BigInteger} above
 * {@code Long.MAX_VALUE}; float → {@link Double}; str → {@link String}; bin → its standard base64 text; array →
 * {@link List}; map → {@code Map<String, Object>} in the order written, an integer, boolean or nil key as its text;
 * the timestamp extension (type -1) → {@link Instant}. Other extensions, map keys that are themselves arrays, maps or
 * floats, text that is not UTF-8, trailing bytes and truncated values are refused with the byte offset.
 *
 * <p>The bytes come from the caller, so nothing is allocated from a length that the remaining bytes cannot hold,
 * and nesting stops at {@link #MAX_DEPTH} levels (the request's own depth limit applies to the result afterwards).
 */
final class MessagePack {

    /** Far above any depth limit a request may set; only here so that a hostile value cannot exhaust the stack. */
    static final int MAX_DEPTH = 256;

    private final ByteBuffer in;

    private MessagePack(ByteString bytes) {
        this.in = bytes.asReadOnlyByteBuffer();
    }

    /**
     * The one value the bytes hold.
     *
     * @throws IllegalArgumentException saying what is wrong and at which byte
     */
    static Object read(ByteString bytes) {
        MessagePack reader = new MessagePack(bytes);
        Object value = reader.value(1);
        if (reader.in.hasRemaining()) {
            throw reader.malformed(reader.in.remaining() + " bytes follow the value");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw malformed("it nests deeper than " + MAX_DEPTH + " levels");
        }
        int b = u8();
        if (b <= 0x7f) {
            return (long) b;
        }
        if (b >= 0xe0) {
            return (long) (byte) b;
        }
        if ((b & 0xf0) == 0x80) {
            return map(b & 0x0f, depth);
        }
        if ((b & 0xf0) == 0x90) {
            return array(b & 0x0f, depth);
        }
        if ((b & 0xe0) == 0xa0) {
            return text(b & 0x1f);
        }
        return switch (b) {
            case 0xc0 -> null;
            case 0xc2 -> Boolean.FALSE;
            case 0xc3 -> Boolean.TRUE;
            case 0xc4 -> bytes(u8());
            case 0xc5 -> bytes(u16());
            case 0xc6 -> bytes(u32());
            case 0xc7 -> extension(u8());
            case 0xc8 -> extension(u16());
            case 0xc9 -> extension(u32());
            case 0xca -> (double) take(4).getFloat();
            case 0xcb -> take(8).getDouble();
            case 0xcc -> (long) u8();
            case 0xcd -> (long) u16();
            case 0xce -> u32();
            case 0xcf -> unsigned64(take(8).getLong());
            case 0xd0 -> (long) take(1).get();
            case 0xd1 -> (long) take(2).getShort();
            case 0xd2 -> (long) take(4).getInt();
            case 0xd3 -> take(8).getLong();
            case 0xd4 -> extension(1);
            case 0xd5 -> extension(2);
            case 0xd6 -> extension(4);
            case 0xd7 -> extension(8);
            case 0xd8 -> extension(16);
            case 0xd9 -> text(u8());
            case 0xda -> text(u16());
            case 0xdb -> text(u32());
            case 0xdc -> array(u16(), depth);
            case 0xdd -> array(u32(), depth);
            case 0xde -> map(u16(), depth);
            case 0xdf -> map(u32(), depth);
            default -> throw malformed(String.format("0x%02x is no MessagePack type", b), 1);
        };
    }

    private List<Object> array(long size, int depth) {
        // Every element takes at least one byte: a size beyond the bytes left is a lie, found before allocating.
        List<Object> list = new ArrayList<>(count(size, 1));
        for (long i = 0; i < size; i++) {
            list.add(value(depth + 1));
        }
        return list;
    }

    private Map<String, Object> map(long size, int depth) {
        int entries = count(size, 2);
        Map<String, Object> map = new LinkedHashMap<>(Math.max(16, entries * 2));
        for (int i = 0; i < entries; i++) {
            int at = in.position();
            String key = key(value(depth + 1), at);
            if (map.containsKey(key)) {
                throw malformed("map key '" + key + "' appears twice", in.position() - at);
            }
            map.put(key, value(depth + 1));
        }
        return map;
    }

    private String key(Object key, int at) {
        if (key == null
                || key instanceof String
                || key instanceof Long
                || key instanceof BigInteger
                || key instanceof Boolean) {
            return String.valueOf(key);
        }
        in.position(at);
        throw malformed("a map key must be text, an integer, a boolean or nil, not "
                + (key instanceof List
                        ? "an array"
                        : key instanceof Map ? "a map" : key.getClass().getSimpleName()));
    }

    private String text(long size) {
        ByteBuffer bytes = take(count(size, 1));
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("text that is not UTF-8", (int) size);
        }
    }

    private String bytes(long size) {
        ByteBuffer bytes = take(count(size, 1));
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return Base64.getEncoder().encodeToString(copy);
    }

    private Object extension(long size) {
        int length = count(size, 1);
        byte type = take(1).get();
        ByteBuffer data = take(length);
        if (type != -1) {
            throw malformed("extension type " + type + " is not one this connector reads (only the timestamp, -1)");
        }
        // The timestamp extension: 32-bit seconds; 30-bit nanos and 34-bit seconds; or 32-bit nanos and 64-bit seconds.
        return switch (length) {
            case 4 -> Instant.ofEpochSecond(Integer.toUnsignedLong(data.getInt()));
            case 8 -> {
                long word = data.getLong();
                long nanos = word >>> 34;
                if (nanos > 999_999_999L) {
                    throw malformed("a timestamp with " + nanos + " nanoseconds");
                }
                yield Instant.ofEpochSecond(word & 0x3_ffff_ffffL, nanos);
            }
            case 12 -> {
                long nanos = Integer.toUnsignedLong(data.getInt());
                long seconds = data.getLong();
                if (nanos > 999_999_999L) {
                    throw malformed("a timestamp with " + nanos + " nanoseconds");
                }
                try {
                    yield Instant.ofEpochSecond(seconds, nanos);
                } catch (RuntimeException e) {
                    throw malformed("a timestamp beyond what an instant can hold");
                }
            }
            default -> throw malformed("a timestamp of " + length + " bytes (4, 8 or 12)");
        };
    }

    private static Object unsigned64(long value) {
        return value >= 0 ? (Object) value : new BigInteger(Long.toUnsignedString(value));
    }

    private int u8() {
        return Byte.toUnsignedInt(take(1).get());
    }

    private int u16() {
        return Short.toUnsignedInt(take(2).getShort());
    }

    private long u32() {
        return Integer.toUnsignedLong(take(4).getInt());
    }

    /** A count that the bytes left can hold, each item taking at least {@code minBytes}. */
    private int count(long size, int minBytes) {
        if (size > in.remaining() / minBytes) {
            throw malformed("it announces " + size + " items or bytes, but only " + in.remaining() + " bytes follow");
        }
        return (int) size;
    }

    private ByteBuffer take(int length) {
        if (length > in.remaining()) {
            throw malformed(
                    "it ends in the middle of a value (" + length + " bytes wanted, " + in.remaining() + " left)");
        }
        ByteBuffer slice = in.slice();
        slice.limit(length);
        in.position(in.position() + length);
        return slice;
    }

    private IllegalArgumentException malformed(String what) {
        return malformed(what, 0);
    }

    private IllegalArgumentException malformed(String what, int back) {
        return new IllegalArgumentException(what + " (at byte " + Math.max(0, in.position() - back) + ")");
    }
}
