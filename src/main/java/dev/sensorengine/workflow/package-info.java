/**
 * The sensor workflow and the contract of its poke activity. One poke is one activity attempt; "not ready" is a
 * retryable failure carrying the next delay, so the server's retries are the poll loop and history stays flat.
 * Workflow code is deterministic: no I/O, clock or randomness but Temporal's. Payloads are JSON ({@link
 * dev.sensorengine.workflow.Json}), the one mapping of the project.
 *
 * <p>May import: the Temporal SDK, Jackson. Must not import: gRPC, {@code facade}, {@code engine}, {@code runtime},
 * {@code sensors}, or {@code workflow.poke}.
 */
package dev.sensorengine.workflow;
