package dev.sensorengine.events;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.sensorengine.engine.ObjectEvent;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the {@code --file-root} directories, and every directory below them (also those created later), with the
 * JDK's {@code WatchService} (inotify on Linux: a new file is seen within milliseconds). Each created file or
 * directory, or one moved in, becomes an event for its absolute path, spelled under the root as configured (made
 * absolute), as a FileSensor names it. Symbolic links are not followed, so the watch stays inside the roots.
 *
 * <p>Events are handed to the waker on a thread of their own, so that a slow Temporal does not hold up the watch and
 * overflow the kernel's queue. An event that could not be delivered is logged and dropped: the sensor's next poke
 * sees the file anyway.
 */
final class FileWatcher implements AutoCloseable {

    static final String SOURCE = "file-watch";
    private static final Logger log = LoggerFactory.getLogger(FileWatcher.class);
    /** Events waiting for the waker beyond this are dropped (and found by the poll). */
    private static final int MAX_QUEUED = 10_000;

    private final WatchService watch;
    private final Map<WatchKey, Path> directories = new ConcurrentHashMap<>();
    private final EventDelivery delivery;
    private final EventMetrics metrics;
    private final Clock clock;
    private final Duration grace;
    private final ExecutorService deliveries;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();

    private FileWatcher(WatchService watch, EventDelivery delivery, EventMetrics metrics, Clock clock, Duration grace) {
        this.watch = watch;
        this.delivery = delivery;
        this.metrics = metrics;
        this.clock = clock;
        this.grace = grace;
        this.deliveries = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_QUEUED),
                runnable -> daemon(runnable, "events-file-delivery"),
                (runnable, executor) -> dropped.incrementAndGet());
        this.thread = daemon(this::run, "events-file-watch");
    }

    /** Watches the roots that exist (saying which do not) and starts. */
    static FileWatcher start(
            List<Path> roots, EventDelivery delivery, EventMetrics metrics, Clock clock, Duration grace)
            throws IOException {
        FileWatcher watcher =
                new FileWatcher(FileSystems.getDefault().newWatchService(), delivery, metrics, clock, grace);
        try {
            for (Path root : roots) {
                Path absolute = root.toAbsolutePath().normalize();
                if (Files.isDirectory(absolute)) {
                    watcher.registerTree(absolute);
                } else {
                    log.warn(
                            "not watching file root {}: it is not a directory (yet); its sensors are found by "
                                    + "their pokes alone",
                            absolute);
                }
            }
        } catch (IOException | RuntimeException e) {
            watcher.watch.close();
            throw e;
        }
        watcher.thread.start();
        return watcher;
    }

    /** Directories under watch, for tests and logs. */
    int watchedDirectories() {
        return directories.size();
    }

    /** Registers the directory and every one below it; returns the files and directories found below it. */
    private List<Path> registerTree(Path top) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (!dir.equals(top)) {
                    found.add(dir);
                }
                try {
                    directories.put(dir.register(watch, ENTRY_CREATE), dir);
                    return FileVisitResult.CONTINUE;
                } catch (IOException e) {
                    // Typically Linux's fs.inotify.max_user_watches: the rest is left to the poll, not the service.
                    log.warn(
                            "cannot watch {} for new files ({}); files below it are found by their sensors' pokes",
                            dir,
                            e.toString());
                    return FileVisitResult.SKIP_SUBTREE;
                }
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                found.add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // Gone again, or unreadable: nothing to watch there.
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    private void run() {
        while (true) {
            WatchKey key;
            try {
                key = watch.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Path directory = directories.get(key);
            if (directory != null) {
                for (WatchEvent<?> event : key.pollEvents()) {
                    created(directory, event);
                }
            }
            if (!key.reset()) {
                // The directory is gone.
                directories.remove(key);
            }
        }
    }

    private void created(Path directory, WatchEvent<?> event) {
        if (event.kind() == OVERFLOW) {
            log.warn(
                    "the file watch overflowed under {}: some new files are found by their sensors' pokes only",
                    directory);
            return;
        }
        Path path = directory.resolve((Path) event.context());
        List<Path> paths = new ArrayList<>();
        paths.add(path);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            // Files may land in a new directory before it is watched: report those found on registering it.
            try {
                paths.addAll(registerTree(path));
            } catch (IOException | ClosedWatchServiceException e) {
                log.debug("could not watch new directory {}: {}", path, e.toString());
            }
        }
        for (Path each : paths) {
            ObjectEvent objectEvent =
                    new ObjectEvent(SOURCE, UUID.randomUUID().toString(), each.toString(), clock.instant());
            deliveries.execute(() -> deliver(objectEvent));
        }
    }

    private void deliver(ObjectEvent event) {
        Delivery result = delivery.deliver(List.of(event));
        if (result instanceof Delivery.Woken) {
            metrics.received(SOURCE, Outcome.ACCEPTED);
        } else if (result instanceof Delivery.RetryLater later) {
            metrics.received(SOURCE, Outcome.UNAVAILABLE);
            log.warn("new file {} woke no sensor (their pokes will see it): {}", event.object(), later.reason());
        } else {
            metrics.received(SOURCE, Outcome.FAILED);
            log.warn(
                    "new file {} woke no sensor (their pokes will see it): {}",
                    event.object(),
                    result instanceof Delivery.CannotTake cannot
                            ? cannot.reason()
                            : ((Delivery.Failed) result).reason());
        }
    }

    /** Stops watching; events already seen are still delivered within the grace period. */
    @Override
    public void close() throws IOException, InterruptedException {
        watch.close();
        thread.interrupt();
        deliveries.shutdown();
        if (!deliveries.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            deliveries.shutdownNow();
        }
        if (dropped.get() > 0) {
            log.warn("{} new files were not reported to the waker (too many at once); their pokes see them", dropped);
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
