package dev.sensorengine.events;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** The names of objects as sensors spell them: {@code s3://bucket/key}, {@code gs://bucket/object}, URLs, paths. */
final class ObjectNames {

    private ObjectNames() {}

    /** {@code s3://bucket/key}; the key as stored, already decoded. */
    static String s3(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** {@code gs://bucket/object}. */
    static String gs(String bucket, String object) {
        return "gs://" + bucket + "/" + object;
    }

    /**
     * A key as S3 (and MinIO) write it into their notifications: form-URL-encoded, so {@code +} is a space and
     * {@code %2F} a slash ("red flower.jpg" arrives as "red+flower.jpg").
     *
     * @throws IllegalArgumentException for a malformed escape
     */
    static String formDecoded(String key) {
        return URLDecoder.decode(key, StandardCharsets.UTF_8);
    }

    /**
     * The text as an object name a sensor could wait for, if it is one: an {@code s3://} or {@code gs://} name with a
     * bucket and an object, an {@code http(s)} URL, or an absolute local path ({@code file:///path} gives the path).
     */
    static Optional<String> parse(String text) {
        if (text == null || text.isBlank() || text.length() > 4096 || text.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:///")) {
            // A URI, so percent-encoded: its path decoded is the file's.
            try {
                return Optional.ofNullable(URI.create(text).getPath()).filter(path -> path.length() > 1);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (lower.startsWith("s3://") || lower.startsWith("gs://")) {
            String rest = text.substring(5);
            int slash = rest.indexOf('/');
            return slash > 0 && slash < rest.length() - 1 ? Optional.of(text) : Optional.empty();
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return text.length() > lower.indexOf("://") + 3 ? Optional.of(text) : Optional.empty();
        }
        return text.startsWith("/") ? Optional.of(text) : Optional.empty();
    }
}
