/**
 * FileSensor and its object stores: S3, GCS, HTTP(S) and local paths confined to {@code --file-root}, with exact,
 * prefix and glob matches.
 *
 * <p>May import: {@code sensors}, {@code sensors.network}, {@code sensors.http} (the HTTP calls of http paths), the
 * AWS and Google Cloud storage clients. Must not import: Temporal, gRPC, or any package outside {@code sensors}.
 */
package dev.sensorengine.sensors.file;
