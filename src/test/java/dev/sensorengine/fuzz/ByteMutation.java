package dev.sensorengine.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One edit of an encoded message: a bit flipped, bytes inserted or deleted, a byte overwritten, or the tail cut
 * off. The place is a fraction of the length, so one mutation applies to bytes of any size.
 *
 * @param where 0 (start) to 1 (end) of the bytes
 * @param amount bit number, count of bytes to delete, or the byte to write, by kind
 * @param inserted the bytes an {@link Kind#INSERT} puts in
 */
record ByteMutation(Kind kind, double where, int amount, byte[] inserted) {

    enum Kind {
        FLIP,
        INSERT,
        DELETE,
        OVERWRITE,
        TRUNCATE
    }

    static Arbitrary<ByteMutation> any() {
        Arbitrary<byte[]> inserts = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8),
                // A varint that never ends, a huge length prefix, and a field with an unknown tag.
                Arbitraries.of(
                        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                        new byte[] {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f},
                        new byte[] {(byte) 0xf8, (byte) 0xff, 0x01, 0x05}));
        return Combinators.combine(
                        Arbitraries.of(Kind.class),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(0, 255),
                        inserts)
                .as(ByteMutation::new);
    }

    static Arbitrary<List<ByteMutation>> some() {
        return any().list().ofMinSize(1).ofMaxSize(4);
    }

    static byte[] applyAll(List<ByteMutation> mutations, byte[] bytes) {
        byte[] result = bytes;
        for (ByteMutation mutation : mutations) {
            result = mutation.apply(result);
        }
        return result;
    }

    byte[] apply(byte[] bytes) {
        int at = (int) Math.min(bytes.length, Math.floor(where * bytes.length));
        switch (kind) {
            case FLIP -> {
                if (bytes.length == 0) {
                    return bytes;
                }
                byte[] copy = bytes.clone();
                int index = Math.min(at, copy.length - 1);
                copy[index] ^= (byte) (1 << (amount % 8));
                return copy;
            }
            case INSERT -> {
                byte[] copy = new byte[bytes.length + inserted.length];
                System.arraycopy(bytes, 0, copy, 0, at);
                System.arraycopy(inserted, 0, copy, at, inserted.length);
                System.arraycopy(bytes, at, copy, at + inserted.length, bytes.length - at);
                return copy;
            }
            case DELETE -> {
                int count = Math.min(bytes.length - at, 1 + amount % 16);
                byte[] copy = new byte[bytes.length - count];
                System.arraycopy(bytes, 0, copy, 0, at);
                System.arraycopy(bytes, at + count, copy, at, bytes.length - at - count);
                return copy;
            }
            case OVERWRITE -> {
                if (bytes.length == 0) {
                    return bytes;
                }
                byte[] copy = bytes.clone();
                copy[Math.min(at, copy.length - 1)] = (byte) amount;
                return copy;
            }
            default -> {
                return Arrays.copyOf(bytes, at);
            }
        }
    }

    @Override
    public String toString() {
        return kind + "@" + String.format("%.3f", where)
                + (kind == Kind.INSERT ? Arrays.toString(inserted) : "/" + amount);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteMutation that
                && kind == that.kind
                && where == that.where
                && amount == that.amount
                && Arrays.equals(inserted, that.inserted);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(kind, where, amount) + Arrays.hashCode(inserted);
    }
}
