package dev.sensorengine.sensors.file;

import dev.sensorengine.sensors.SensorConfigurationException;

/** {@code scheme://bucket/key}, split. The key may be empty (the whole bucket, for prefix and glob). */
public record BucketPath(String scheme, String bucket, String key) {

    /** @throws SensorConfigurationException when the location is not {@code scheme://bucket[/key]} */
    public static BucketPath parse(String scheme, String location) {
        String head = scheme + "://";
        if (!location.startsWith(head)) {
            throw new SensorConfigurationException("path '" + location + "' is not a " + head + " path");
        }
        String rest = location.substring(head.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isBlank()) {
            throw new SensorConfigurationException(
                    "path '" + location + "' names no bucket; write " + head + "BUCKET/KEY");
        }
        return new BucketPath(scheme, bucket, key);
    }

    /** The object's own spelling, e.g. {@code s3://bucket/key}. */
    public String location(String objectKey) {
        return scheme + "://" + bucket + "/" + objectKey;
    }

    @Override
    public String toString() {
        return location(key);
    }
}
