package dev.sensorengine.sensors.file;

import dev.sensorengine.sensors.SensorConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Local paths and {@code file://} URIs. A path must lie under one of the service's {@code --file-root}
 * directories after {@code ..} and symbolic links are resolved, so a task cannot probe the service's own host.
 * Prefix and glob walk the directory below the path's literal part and ignore symbolic links altogether.
 */
public final class LocalObjectStore implements ObjectStore {

    private final FileRoots roots;

    public LocalObjectStore(List<Path> roots) {
        this.roots = new FileRoots(List.copyOf(roots));
    }

    @Override
    public Lookup find(String location, Match match) throws IOException {
        Path path = localPath(location);
        if (match == Match.EXACT) {
            return exact(path);
        }
        // ".." is resolved in the text, as the root check does; a trailing "/" still means "inside this directory".
        String spelled = path.normalize().toString();
        if (location.endsWith("/") && !spelled.endsWith("/")) {
            spelled += "/";
        }
        String pattern = spelled;
        if (match == Match.PREFIX) {
            return walk(pattern, candidate -> candidate.startsWith(pattern), match.nothingAt(pattern));
        }
        Glob glob = Glob.compile(pattern);
        return walk(glob.literalPrefix(), glob::matches, match.nothingAt(pattern));
    }

    private Lookup exact(Path path) throws IOException {
        Path resolved = roots.admit(path);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(resolved, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Lookup.missing(path + " does not exist");
        }
        // A link created after the first check could point outside the roots: check the final target too.
        roots.admit(resolved.toRealPath());
        return Lookup.found(file(path, attributes));
    }

    /**
     * The first regular file (in path order) below the deepest directory that {@code prefix} names, whose path
     * satisfies {@code wanted}.
     */
    private Lookup walk(String prefix, Predicate<String> wanted, String nothing) throws IOException {
        Path parent = Path.of(prefix + "x").getParent(); // the directory the prefix ends in
        Path start = parent == null ? Path.of("/") : parent;
        Path base = roots.admit(start);
        if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
            return Lookup.missing(nothing);
        }
        // Matching is on the path as the task spells it, with the admitted (link-resolved) base swapped back.
        try (Stream<Path> files = Files.walk(base)) {
            Optional<Path> first = files.filter(candidate -> Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS))
                    .map(candidate -> start.resolve(base.relativize(candidate)))
                    .filter(candidate -> wanted.test(candidate.toString()))
                    .sorted()
                    .findFirst();
            if (first.isEmpty()) {
                return Lookup.missing(nothing);
            }
            Path found = first.get();
            return Lookup.found(file(
                    found,
                    Files.readAttributes(roots.admit(found), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return Lookup.missing(nothing); // a directory went away while we walked it
            }
            throw e.getCause();
        } catch (NoSuchFileException e) {
            return Lookup.missing(nothing);
        }
    }

    private static StoredObject file(Path path, BasicFileAttributes attributes) {
        return new StoredObject(
                path.toString(),
                Optional.empty(),
                Optional.empty(),
                attributes.size(),
                Optional.of(attributes.lastModifiedTime().toInstant()));
    }

    static Path localPath(String location) {
        if (location.startsWith("file:")) {
            try {
                // Percent escapes are decoded here, so "%2e%2e" and "%2f" become ".." and "/" before the root check.
                return Path.of(new URI(location));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new SensorConfigurationException("path '" + printable(location) + "' is not a valid file URI ("
                        + e.getMessage() + "); use file:///absolute/path or an absolute path");
            }
        }
        Path path;
        try {
            path = Path.of(location);
        } catch (InvalidPathException e) {
            // A NUL, a lone surrogate, or a character the JVM's file-name encoding cannot express: the task is wrong.
            throw new SensorConfigurationException("path '" + printable(location) + "' is not a usable file name ("
                    + e.getReason() + ")" + encodingHint());
        }
        if (!path.isAbsolute()) {
            throw new SensorConfigurationException(
                    "path '" + printable(location) + "' is relative; give an absolute path");
        }
        return path;
    }

    /** The path with control characters spelled out, so a NUL in a task does not end up raw in a message or log. */
    static String printable(String location) {
        StringBuilder out = new StringBuilder(location.length());
        location.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String encodingHint() {
        String encoding = System.getProperty("sun.jnu.encoding", "");
        // Under a C or POSIX locale the JVM encodes file names as ASCII, so no accented path can be watched.
        return encoding.isEmpty() || encoding.equalsIgnoreCase("UTF-8")
                ? ""
                : "; this service encodes file names as " + encoding
                        + ": run it with a UTF-8 locale, e.g. LANG=C.UTF-8";
    }

    /** The allow-list of directories from {@code --file-root}. */
    private record FileRoots(List<Path> roots) {

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
                real = resolveExisting(
                        existing.getParent().toRealPath().resolve(target).normalize(), links + 1);
            }
            return real.resolve(existing.relativize(path)).normalize();
        }
    }
}
