package dev.sensorengine.sensors.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads at most {@code limit} bytes of a body and then stops (the caller closes the connection), so a sensor
 * neither downloads a large file to learn that it exists nor holds a huge answer in memory.
 */
final class LimitedBody {

    record Bytes(byte[] bytes, boolean truncated) {}

    private LimitedBody() {}

    /** @param body null when the answer has none (HEAD, 204) */
    static Bytes read(InputStream body, int limit) throws IOException {
        if (limit == 0) {
            return new Bytes(new byte[0], true);
        }
        if (body == null) {
            return new Bytes(new byte[0], false);
        }
        // One byte past the limit tells a body of exactly `limit` bytes from a longer one.
        byte[] kept = body.readNBytes(limit + 1);
        if (kept.length > limit) {
            return new Bytes(Arrays.copyOf(kept, limit), true);
        }
        return new Bytes(kept, false);
    }
}
