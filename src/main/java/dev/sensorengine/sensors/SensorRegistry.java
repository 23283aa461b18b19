package dev.sensorengine.sensors;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * The sensors on the classpath, by every name they answer to. Closing it closes the sensors that hold resources
 * for the life of the process (those that implement {@link AutoCloseable}, such as SqlSensor's connection pools).
 */
public final class SensorRegistry implements AutoCloseable {

    private final SortedMap<String, Sensor> byName;

    public SensorRegistry(Collection<? extends Sensor> sensors) {
        SortedMap<String, Sensor> names = new TreeMap<>();
        for (Sensor sensor : sensors) {
            for (String name : sensor.names()) {
                Sensor previous = names.putIfAbsent(name, sensor);
                if (previous != null && previous.getClass() != sensor.getClass()) {
                    throw new IllegalStateException("two sensors claim the name '" + name + "': "
                            + previous.getClass().getName() + " and "
                            + sensor.getClass().getName());
                }
            }
        }
        this.byName = Collections.unmodifiableSortedMap(names);
    }

    /** Every {@link Sensor} that {@link ServiceLoader} finds on the class path. */
    public static SensorRegistry load() {
        return new SensorRegistry(ServiceLoader.load(Sensor.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList());
    }

    /**
     * The sensor for flytekit's {@code sensor_module} and {@code sensor_name}: {@code module.Name} first, then
     * {@code Name} alone.
     *
     * @throws SensorConfigurationException naming the sensors there are, when none matches
     */
    public Sensor resolve(String module, String name) {
        if (name == null || name.isBlank()) {
            throw new SensorConfigurationException("the task names no sensor: TaskTemplate.custom needs 'sensor_name'");
        }
        return find(module, name)
                .orElseThrow(() -> new SensorConfigurationException(
                        "unknown sensor '" + qualified(module, name) + "'; this service has " + byName.keySet()));
    }

    /** Like {@link #resolve}, but empty when no sensor matches. */
    public Optional<Sensor> find(String module, String name) {
        if (module != null && !module.isBlank() && byName.containsKey(module + "." + name)) {
            return Optional.of(byName.get(module + "." + name));
        }
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** Every name the sensors answer to. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** Closes every sensor that is {@link AutoCloseable}, once each; the registry is not used afterwards. */
    @Override
    public void close() {
        Set<Sensor> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(byName.values());
        for (Sensor sensor : distinct) {
            if (sensor instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LoggerFactory.getLogger(SensorRegistry.class)
                            .warn(
                                    "error while closing sensor {}: {}",
                                    sensor.getClass().getName(),
                                    e.toString());
                }
            }
        }
    }

    private static String qualified(String module, String name) {
        return module == null || module.isBlank() ? name : module + "." + name;
    }
}
