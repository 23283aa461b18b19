package dev.sensorengine.bench;

import dev.sensorengine.runtime.TemporalCli;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds flytekit's {@code pyflyte} for the benchmark's third side: the path given, else the project's tool venv that
 * {@code scripts/tools.sh} installs (under the working directory or beside the jar's {@code target/}), else the first
 * on {@code PATH}.
 */
final class Tools {

    static final Path PYFLYTE = Path.of(".tools", "venv", "bin", "pyflyte");

    private Tools() {}

    static Optional<Path> pyflyte(Optional<Path> explicit) {
        if (explicit.isPresent()) {
            return explicit.filter(Files::isExecutable);
        }
        return candidates().stream().filter(Files::isExecutable).findFirst();
    }

    /** Every place looked at, in order, for the message when none holds it. */
    static List<Path> candidates() {
        List<Path> paths = new ArrayList<>();
        paths.add(Path.of("").toAbsolutePath().resolve(PYFLYTE));
        TemporalCli.jarDirectory().map(Path::getParent).ifPresent(project -> paths.add(project.resolve(PYFLYTE)));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    paths.add(Path.of(entry, "pyflyte"));
                }
            }
        }
        return paths;
    }
}
