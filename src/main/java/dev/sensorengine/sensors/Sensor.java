package dev.sensorengine.sensors;

import java.util.Optional;
import java.util.Set;

/**
 * A sensor checks one condition in the outside world. One call to {@link #poke} is one check;
 * the caller (a Temporal activity) owns scheduling, retries and the timeout.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.sensorengine.sensors.Sensor} and put the jar on the classpath.
 * They need a public no-argument constructor, must be thread-safe and keep no state between pokes.
 */
public interface Sensor {

    /**
     * Names this sensor answers to. A task names its sensor with flytekit's {@code sensor_module}
     * and {@code sensor_name}; the registry looks up {@code module.Name} first and then {@code Name}.
     */
    Set<String> names();

    /**
     * Checks the condition once.
     *
     * @return {@link PokeResult.Ready} when the condition holds, {@link PokeResult.NotReady} otherwise
     * @throws SensorConfigurationException when the task is wrong (bad input, refused path): the sensor fails
     *     at once with the message
     * @throws Exception for anything transient (network, throttling): the poke is retried with backoff
     */
    PokeResult poke(PokeRequest request, SensorEnvironment environment) throws Exception;

    /**
     * The external system one poke reaches, such as a host name or a bucket, so the service can bound pokes per
     * system ({@code --rate-limit}). Empty when the sensor reaches nothing shared.
     */
    default Optional<String> endpoint(PokeRequest request) {
        return Optional.empty();
    }

    /**
     * What events about objects may wake this sensor early (a store's notification that an object now exists), or
     * empty when none does: the sensor is then only polled. A wake only makes the sensor poke now; the poke decides.
     */
    default Optional<EventTarget> eventTarget(PokeRequest request) {
        return Optional.empty();
    }

    /**
     * Whether an event about {@code object} concerns a sensor waiting for {@code target} (one this sensor's {@link
     * #eventTarget} gave), compared exactly as a poke would compare them. By default the object must be the target.
     */
    default boolean wokenBy(EventTarget target, String object) {
        return target.target().equals(object);
    }

    /** A short description of what the sensor waits for, e.g. {@code /data/in/_SUCCESS}, for status lines. */
    default String target(PokeRequest request) {
        return request.inputs().toString();
    }
}
