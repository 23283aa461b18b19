package dev.sensorengine.sensors;

import java.nio.file.Path;
import java.util.List;

/**
 * What the service grants sensors: the local directories ({@code --file-root}) a FileSensor may watch.
 * Sensors get it from the runtime rather than from the task, so a task cannot widen its own access.
 */
public record SensorEnvironment(List<Path> fileRoots) {

    public SensorEnvironment {
        fileRoots = List.copyOf(fileRoots);
    }
}
