/**
 * {@code sensor-engine bench}: the benchmark that measures the service beside raw Temporal doing the same work, in
 * one run, and reports both with their ratio.
 *
 * <p>May import: {@code runtime} (to start a service), {@code engine} and {@code workflow} (to read what the raw side
 * needs), the generated flyteidl messages, Temporal, gRPC. Imported only by the entry point.
 */
package dev.sensorengine.bench;
