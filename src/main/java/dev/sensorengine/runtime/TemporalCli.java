package dev.sensorengine.runtime;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Finds the Temporal CLI ({@code temporal}), whose {@code server start-dev} is the durable local Temporal: the path
 * given with {@code --temporal-cli}, else the first on {@code PATH}, else the one {@code scripts/tools.sh} installs
 * into the project's {@code .tools} directory (looked for under the working directory and beside the jar's
 * {@code target/} directory).
 */
public final class TemporalCli {

    /** Where {@code scripts/tools.sh} puts the CLI, relative to the project. */
    static final Path TOOLS_BINARY = Path.of(".tools", "venv", "bin", "temporal");

    private TemporalCli() {}

    /**
     * @param explicit {@code --temporal-cli}, which must then name an executable file
     * @param environment for {@code PATH}
     * @param workingDirectory where {@code serve} runs
     * @param jarDirectory the directory of the running jar, when it runs from one
     * @throws IllegalArgumentException when {@code explicit} is no executable file
     */
    public static Optional<Path> find(
            Optional<Path> explicit,
            UnaryOperator<String> environment,
            Path workingDirectory,
            Optional<Path> jarDirectory) {
        if (explicit.isPresent()) {
            Path path = explicit.get();
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new IllegalArgumentException(
                        "--temporal-cli " + path + " is not an executable file; give the path of the Temporal CLI "
                                + "('temporal'), e.g. .tools/venv/bin/temporal after scripts/tools.sh");
            }
            return explicit;
        }
        return candidates(environment, workingDirectory, jarDirectory).stream()
                .filter(path -> Files.isRegularFile(path) && Files.isExecutable(path))
                .findFirst();
    }

    /** Every place looked at, in order, for the message when none holds the CLI. */
    public static List<Path> candidates(
            UnaryOperator<String> environment, Path workingDirectory, Optional<Path> jarDirectory) {
        List<Path> paths = new ArrayList<>();
        String path = environment.apply("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    paths.add(Path.of(entry, "temporal"));
                }
            }
        }
        paths.add(workingDirectory.resolve(TOOLS_BINARY));
        // java -jar target/sensor-engine.jar run from elsewhere: the project is the jar directory's parent.
        jarDirectory.map(Path::getParent).ifPresent(project -> paths.add(project.resolve(TOOLS_BINARY)));
        return paths;
    }

    /** The directory of the jar this class was loaded from, if it was loaded from a jar file. */
    public static Optional<Path> jarDirectory() {
        try {
            Path location = Path.of(TemporalCli.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return Files.isRegularFile(location) ? Optional.ofNullable(location.getParent()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
