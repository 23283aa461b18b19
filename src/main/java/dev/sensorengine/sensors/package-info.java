/**
 * What a sensor author needs, and nothing else: the {@link dev.sensorengine.sensors.Sensor} plug-in interface (found
 * with {@link java.util.ServiceLoader}), {@link dev.sensorengine.sensors.TimerSensor}, the request and result of one
 * poke, typed access to inputs and configuration, what the service grants sensors, named connections and secrets, and
 * the registry. A custom sensor's {@code import dev.sensorengine.sensors.*} pulls in nothing internal.
 *
 * <p>May import: {@code sensors.network} (the policy a {@link dev.sensorengine.sensors.SensorEnvironment} carries).
 * Must not import: Temporal, gRPC, any other package of this project, or a sensor family.
 */
package dev.sensorengine.sensors;
