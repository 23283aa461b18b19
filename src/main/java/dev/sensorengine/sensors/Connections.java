package dev.sensorengine.sensors;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The named connections a sensor may use, by name. */
public final class Connections {

    private final Map<String, Connection> byName;

    public Connections(Collection<Connection> connections) {
        Map<String, Connection> names = new TreeMap<>();
        connections.forEach(connection -> names.put(connection.name(), connection));
        this.byName = Collections.unmodifiableMap(names);
    }

    public static Connections none() {
        return new Connections(List.of());
    }

    /**
     * The connection called {@code name}, which must be of {@code type}.
     *
     * @throws SensorConfigurationException naming the connections there are, when none fits
     */
    public Connection get(String name, String type) {
        Connection connection = byName.get(name);
        if (connection == null) {
            throw new SensorConfigurationException("unknown connection '" + name + "'; this service has "
                    + (byName.isEmpty() ? "none (an operator adds them with --connections FILE)" : byName.keySet()));
        }
        if (!connection.type().equals(type)) {
            throw new SensorConfigurationException("connection '" + name + "' is of type " + connection.type()
                    + ", but this sensor needs a " + type + " connection");
        }
        return connection;
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
