/**
 * The poke activity as the Java worker runs it, and the machinery behind it: {@link
 * dev.sensorengine.workflow.poke.PokeRunner} resolves the sensor, asks its target's rate limit for a turn (a poke
 * without one is deferred, never parked) and shares one poke among identical ones; {@link
 * dev.sensorengine.workflow.poke.PokeDecision} turns what a poke found into the activity's outcome as the contract
 * (contract/poke-activity.md) says, with the error streak ({@link dev.sensorengine.workflow.poke.ErrorStreak}) carried
 * in heartbeat details. This code runs on activity threads and may do I/O.
 *
 * <p>May import: {@code workflow}, {@code sensors} (the plug-in API), Temporal's activity API, Jackson (heartbeat
 * details as a JSON tree), Caffeine, Bucket4j, Micrometer. Must not import: gRPC, {@code facade}, {@code engine}, {@code runtime}, a sensor family.
 */
package dev.sensorengine.workflow.poke;
