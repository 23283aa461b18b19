/**
 * Shared test helpers: real servers (HTTP, s3proxy, moto, PostgreSQL), certificates, a TCP proxy that cuts connections,
 * raw-bytes gRPC calls and log capture. Nothing here is a test itself.
 */
package dev.sensorengine.testing;
