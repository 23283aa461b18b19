package dev.sensorengine.literals;

import java.util.Objects;

/**
 * Typed Java value of a Flyte Blob literal (a {@code FlyteFile} or, when {@code multipart}, a
 * {@code FlyteDirectory}).
 *
 * @param uri where the blob lives, e.g. {@code s3://bucket/key}
 * @param format the blob format tag, often empty
 * @param multipart true for a directory-like blob of many parts
 */
public record BlobValue(String uri, String format, boolean multipart) {

    public BlobValue {
        Objects.requireNonNull(uri, "uri");
        // Protobuf has no null strings; an absent format is the empty string on the wire.
        format = format == null ? "" : format;
    }
}
