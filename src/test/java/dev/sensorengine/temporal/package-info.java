/**
 * What the design relies on from the Temporal server, each behaviour a test of its own, run on the real server (the
 * Temporal CLI's dev server, {@link dev.sensorengine.testing.RealTemporal}) and, where the two can be compared, on
 * the Java SDK's test server that {@code --temporal-target in-memory} runs: the two servers' differences are asserted
 * here and written down in docs/temporal-server-behaviour.md. The sensor's deadline on the real server is tested
 * here too, since it rests on those behaviours.
 */
package dev.sensorengine.temporal;
