package dev.sensorengine.sensors;

import dev.sensorengine.sensors.network.NetworkPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * What the service grants sensors: the local directories ({@code --file-root}) a FileSensor may watch, the
 * named connections ({@code --connections}) and the addresses a task's URLs may reach ({@code --allow-network}).
 * Sensors get it from the runtime rather than from the task, so a task cannot widen its own access.
 */
public record SensorEnvironment(List<Path> fileRoots, Connections connections, NetworkPolicy network) {

    public SensorEnvironment {
        fileRoots = List.copyOf(fileRoots);
        connections = connections == null ? Connections.none() : connections;
        network = network == null ? NetworkPolicy.publicOnly() : network;
    }

    /** No admitted private or loopback networks. */
    public SensorEnvironment(List<Path> fileRoots, Connections connections) {
        this(fileRoots, connections, NetworkPolicy.publicOnly());
    }

    /** Local files only, no connections, public addresses only. */
    public SensorEnvironment(List<Path> fileRoots) {
        this(fileRoots, Connections.none());
    }
}
