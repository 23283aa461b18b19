package dev.sensorengine.literals;

import java.util.Objects;

/**
 * Typed Java value of a Flyte StructuredDataset literal. Only the location and storage format are
 * kept; column types are not needed to poke for a dataset.
 *
 * @param uri where the dataset lives
 * @param format storage format such as {@code parquet}, often empty
 */
public record StructuredDatasetValue(String uri, String format) {

    public StructuredDatasetValue {
        Objects.requireNonNull(uri, "uri");
        format = format == null ? "" : format;
    }
}
