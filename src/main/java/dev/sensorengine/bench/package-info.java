/**
 * {@code sensor-engine bench}: the benchmark that measures, in one run, the service beside raw Temporal and beside
 * flytekit's own connector doing the same FileSensor work, and reports every side with its ratios and targets.
 *
 * <p>By default in the production shape: the Temporal dev server, the service's API and worker (processes of the
 * built jar) and flytekit's connector, each in a process of its own, their CPU and memory read from {@code /proc};
 * the sensors watch objects of a counting HTTP server in this process, so operations on the watched system are
 * counted at the target.
 *
 * <p>May import: {@code runtime} (to start a service and a dev server), {@code engine} and {@code workflow} (to read
 * what the raw side needs), the generated flyteidl messages, Temporal, gRPC, the JDK's HTTP server. Imported only by
 * the entry point.
 */
package dev.sensorengine.bench;
