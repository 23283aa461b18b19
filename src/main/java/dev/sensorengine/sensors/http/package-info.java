/**
 * HttpSensor and the HTTP calls that it and FileSensor's http paths make: one resolution per call, every address
 * checked against the network policy, redirects checked, bodies bounded, headers only from a connection.
 *
 * <p>May import: {@code sensors}, {@code sensors.network}, Apache HttpClient, Jackson (JSON pointers). Must not import:
 * Temporal, gRPC, {@code sensors.file}, or any package outside {@code sensors}.
 */
package dev.sensorengine.sensors.http;
