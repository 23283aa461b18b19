package dev.sensorengine.sensors;

import java.nio.file.Path;
import java.util.List;

/**
 * What the service grants sensors: the local directories ({@code --file-root}) a FileSensor may watch and the
 * named connections ({@code --connections}). Sensors get it from the runtime rather than from the task, so a task
 * cannot widen its own access.
 */
public record SensorEnvironment(List<Path> fileRoots, Connections connections) {

    public SensorEnvironment {
        fileRoots = List.copyOf(fileRoots);
        connections = connections == null ? Connections.none() : connections;
    }

    /** Local files only, no connections. */
    public SensorEnvironment(List<Path> fileRoots) {
        this(fileRoots, Connections.none());
    }
}
