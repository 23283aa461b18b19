package dev.sensorengine.sensors.file;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An object or file that satisfied a FileSensor.
 *
 * @param path where it is, in the sensor's own spelling ({@code s3://bucket/key}, {@code /data/x}, a URL)
 * @param bucket the bucket of an object store, else empty
 * @param key the object key in the bucket, else empty
 * @param size bytes, or -1 when the store did not say (an HTTP answer without Content-Length)
 * @param lastModified when the store says it was last written
 */
public record StoredObject(
        String path, Optional<String> bucket, Optional<String> key, long size, Optional<Instant> lastModified) {

    public static StoredObject inBucket(String scheme, String bucket, String key, long size, Instant lastModified) {
        return new StoredObject(
                scheme + "://" + bucket + "/" + key,
                Optional.of(bucket),
                Optional.of(key),
                size,
                Optional.ofNullable(lastModified));
    }

    /** One line for the sensor's message, e.g. "found s3://b/k (12 bytes, modified 2026-11-28T06:00:00Z)". */
    public String describe() {
        StringBuilder text = new StringBuilder("found ").append(path).append(" (");
        text.append(size < 0 ? "size unknown" : size + " bytes");
        lastModified.ifPresent(time -> text.append(", modified ").append(time));
        return text.append(')').toString();
    }

    /** What matched, for the sensor's {@code custom_info}. */
    public Map<String, String> details() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("path", path);
        bucket.ifPresent(value -> details.put("bucket", value));
        key.ifPresent(value -> details.put("key", value));
        if (size >= 0) {
            details.put("size", Long.toString(size));
        }
        lastModified.ifPresent(time -> details.put("last_modified", time.toString()));
        return details;
    }
}
