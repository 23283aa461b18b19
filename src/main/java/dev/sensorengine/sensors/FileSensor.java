package dev.sensorengine.sensors;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Set;

/**
 * flytekit's {@code flytekit.sensor.file_sensor.FileSensor}: ready when the file at input {@code path} exists.
 * Local paths and {@code file://} URIs only here; a path must lie under one of the service's {@code --file-root}
 * directories after {@code ..} and symbolic links are resolved, so a task cannot probe the service's own host.
 */
public final class FileSensor implements Sensor {

    @Override
    public Set<String> names() {
        return Set.of("flytekit.sensor.file_sensor.FileSensor", "FileSensor");
    }

    @Override
    public String target(PokeRequest request) {
        return request.inputValues().string("path");
    }

    @Override
    public PokeResult poke(PokeRequest request, SensorEnvironment environment) throws IOException {
        Path path = localPath(request.inputValues().string("path"));
        Path resolved = new FileRoots(environment.fileRoots()).admit(path);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(resolved, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return PokeResult.notReady(path + " does not exist");
        }
        // A link created after the first check could point outside the roots: check the final target too.
        new FileRoots(environment.fileRoots()).admit(resolved.toRealPath());
        return PokeResult.ready("found " + path + " (" + attributes.size() + " bytes, modified "
                        + attributes.lastModifiedTime() + ")",
                Map.of("path", path.toString(),
                        "size", Long.toString(attributes.size()),
                        "last_modified", attributes.lastModifiedTime().toString()));
    }

    private static Path localPath(String location) {
        if (location.startsWith("file:")) {
            try {
                return Path.of(new URI(location));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new SensorConfigurationException("path '" + location + "' is not a valid file URI ("
                        + e.getMessage() + "); use file:///absolute/path or an absolute path");
            }
        }
        int scheme = location.indexOf("://");
        if (scheme > 0) {
            throw new SensorConfigurationException("FileSensor on this service watches local paths only; '"
                    + location.substring(0, scheme) + "://' paths are not supported yet");
        }
        Path path = Path.of(location);
        if (!path.isAbsolute()) {
            throw new SensorConfigurationException("path '" + location + "' is relative; give an absolute path");
        }
        return path;
    }

    /** The allow-list of directories from {@code --file-root}. */
    private record FileRoots(java.util.List<Path> roots) {

        private static final int MAX_LINKS = 40;

        /** The path with {@code ..} and existing links resolved, if it lies under a root; else a configuration error. */
        Path admit(Path path) throws IOException {
            if (roots.isEmpty()) {
                throw new SensorConfigurationException("local paths are disabled on this service; an operator must "
                        + "start it with --file-root DIR to let sensors watch files under DIR");
            }
            Path resolved = resolveExisting(path.toAbsolutePath().normalize());
            for (Path root : roots) {
                Path realRoot = resolveExisting(root.toAbsolutePath().normalize());
                if (resolved.startsWith(realRoot)) {
                    return resolved;
                }
            }
            throw new SensorConfigurationException("path " + path + " is outside the directories this service "
                    + "allows (--file-root " + roots + ")");
        }

        /** Resolves links in the longest prefix that exists, keeping the rest (the file may not exist yet). */
        private static Path resolveExisting(Path path) throws IOException {
            return resolveExisting(path, 0);
        }

        private static Path resolveExisting(Path path, int links) throws IOException {
            Path existing = path;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return path;
            }
            Path real;
            try {
                real = existing.toRealPath();
            } catch (NoSuchFileException e) {
                // A dangling link: judge it by where it points, so a link out of the roots is refused before its
                // target exists, and one to a file not written yet is "not ready" rather than a poke error.
                if (links >= MAX_LINKS) {
                    throw new FileSystemException(existing.toString(), null, "too many levels of symbolic links");
                }
                Path target = Files.readSymbolicLink(existing);
                real = resolveExisting(existing.getParent().toRealPath().resolve(target).normalize(), links + 1);
            }
            return real.resolve(existing.relativize(path)).normalize();
        }
    }
}
