/**
 * The gRPC face propeller talks to: flyteidl's {@code AsyncAgentService} and {@code AgentMetadataService}, with health
 * and reflection. Each service is a thin adapter: it turns a request into an engine call and an engine error into
 * the gRPC status a caller can act on ({@link dev.sensorengine.facade.Statuses}), and counts requests under the
 * Python connector's metric names.
 *
 * <p>May import: {@code engine}, {@code literals}, the generated flyteidl messages, gRPC, Micrometer. Must not
 * import: Temporal ({@code io.temporal}), {@code workflow}, {@code sensors}, {@code runtime}.
 */
package dev.sensorengine.facade;
