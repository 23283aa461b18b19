/**
 * DateTimeSensor and TimeDeltaSensor: {@link dev.sensorengine.sensors.TimerSensor}s whose moment is computed once, so
 * the workflow sleeps on a durable timer and never pokes.
 *
 * <p>May import: {@code sensors}. Must not import: Temporal, gRPC, or any package outside {@code sensors}.
 */
package dev.sensorengine.sensors.time;
