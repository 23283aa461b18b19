/**
 * Shared test helpers: real servers (HTTP, s3proxy, moto, PostgreSQL), certificates, a TCP proxy that cuts
 * connections, raw-bytes gRPC calls, a raw HTTP/2 peer that pings like a gateway, log capture, and the service started
 * with a channel to it. Nothing here is a test itself.
 */
package dev.sensorengine.testing;
