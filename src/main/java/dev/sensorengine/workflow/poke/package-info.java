/**
 * The poke activity as the Java worker runs it, and the machinery behind it: {@link
 * dev.sensorengine.workflow.poke.PokeRunner} resolves the sensor, waits for its target's rate limit and shares one
 * poke among identical ones. This code runs on activity threads and may do I/O.
 *
 * <p>May import: {@code workflow}, {@code sensors} (the plug-in API), Temporal's activity API, Caffeine, Bucket4j,
 * Micrometer. Must not import: gRPC, {@code facade}, {@code engine}, {@code runtime}, a sensor family.
 */
package dev.sensorengine.workflow.poke;
