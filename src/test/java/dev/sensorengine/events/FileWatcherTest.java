package dev.sensorengine.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch on the file roots: a file created under a root, however deep and in directories made after the start,
 * reaches the waker as its absolute path within a second (inotify on Linux).
 */
class FileWatcherTest {

    /** From the file's creation to the waker; inotify takes milliseconds, the rest is room for a loaded machine. */
    private static final Duration WITHIN = Duration.ofSeconds(1);

    @TempDir
    Path root;

    @TempDir
    Path elsewhere;

    private final RecordingWaker waker = new RecordingWaker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private EventSources sources;

    @AfterEach
    void stop() {
        if (sources != null) {
            sources.close();
        }
    }

    @Test
    void touchReachesTheWakerWithinASecond() throws Exception {
        Files.createDirectories(root.resolve("existing/deep"));
        watch(root);
        Path file = root.resolve("existing/deep/_SUCCESS");

        Process touch = new ProcessBuilder("touch", file.toString()).start();
        assertThat(touch.waitFor(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(WITHIN).until(() -> waker.objects().contains(file.toString()));
        assertThat(waker.calls())
                .singleElement()
                .satisfies(event -> assertThat(event.source()).isEqualTo("file-watch"));
        await().atMost(WITHIN)
                .until(() -> registry.find("sensor.events.received")
                                .tags("source", "file-watch", "outcome", "accepted")
                                .counter()
                        != null);
    }

    @Test
    void directoriesMadeLaterAreWatchedToo() throws Exception {
        watch(root);
        Path later = Files.createDirectory(root.resolve("made-later"));
        await().atMost(WITHIN).until(() -> waker.objects().contains(later.toString()));

        Path file = Files.writeString(later.resolve("part-0001.csv"), "a,b\n");

        await().atMost(WITHIN).until(() -> waker.objects().contains(file.toString()));
    }

    @Test
    void filesInATreeMadeAtOnceAreReportedEvenIfTheyBeatTheWatch() throws Exception {
        watch(root);

        // mkdir -p and a file at once: the file may exist before its directory is watched.
        Path deep = Files.createDirectories(root.resolve("a/b/c"));
        Path file = Files.writeString(deep.resolve("data.json"), "{}");

        await().atMost(WITHIN).until(() -> waker.objects().contains(file.toString()));
    }

    @Test
    void aFileMovedInCountsAsCreated() throws Exception {
        watch(root);
        Path staged = Files.writeString(elsewhere.resolve("ready.tmp"), "done");

        Path target = Files.move(staged, root.resolve("ready"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(WITHIN).until(() -> waker.objects().contains(target.toString()));
    }

    @Test
    void aRelativeRootGivesAbsolutePathsAsSensorsNameThem() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(root);
        watch(relative);

        Path file = Files.createFile(root.resolve("_SUCCESS"));

        await().atMost(WITHIN).until(() -> waker.objects().contains(file.toString()));
        assertThat(waker.objects())
                .allSatisfy(object -> assertThat(Path.of(object)).isAbsolute());
    }

    @Test
    void aMissingRootIsSkippedAndTheOthersWatched() throws Exception {
        sources = EventSources.start(
                new EventSettings(Optional.empty(), SqsSettings.NONE, true),
                List.of(root.resolve("not-there"), root),
                waker,
                registry,
                Clock.systemUTC(),
                Duration.ofSeconds(2));

        Path file = Files.createFile(root.resolve("seen"));

        await().atMost(WITHIN).until(() -> waker.objects().contains(file.toString()));
    }

    private void watch(Path fileRoot) throws Exception {
        sources = EventSources.start(
                new EventSettings(Optional.empty(), SqsSettings.NONE, true),
                List.of(fileRoot),
                waker,
                registry,
                Clock.systemUTC(),
                Duration.ofSeconds(2));
    }
}
