package dev.sensorengine.literals;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * A {@code Binary} scalar: how flytekit 1.16 sends a dataclass, a Pydantic model or an untyped {@code dict}
 * (MessagePack bytes, tag {@code msgpack}). Kept whole, so converting back gives the same bytes, together with the
 * value the bytes hold, which is what sensors and the JSON form see: a dataclass becomes the object of its fields,
 * as flytekit's own connector stores it in its {@code resource_meta}.
 *
 * @param tag the serialization format; {@code msgpack} is the only one read
 * @param bytes the serialized value, as sent
 * @param value the value the bytes hold, as plain Java values (see {@link MessagePack})
 */
public record BinaryValue(String tag, ByteString bytes, Object value) {

    /** The tag flytekit writes for MessagePack. */
    public static final String MSGPACK = "msgpack";

    public BinaryValue {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(bytes, "bytes");
    }

    /**
     * Reads MessagePack bytes.
     *
     * @throws IllegalArgumentException when they are not one well-formed MessagePack value
     */
    public static BinaryValue msgpack(ByteString bytes) {
        return new BinaryValue(MSGPACK, bytes, MessagePack.read(bytes));
    }
}
