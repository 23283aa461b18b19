package dev.sensorengine.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileSensor on a real file system: what it finds, and every way a task might try to look outside its roots. */
class FileSensorTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    private final FileSensor sensor = new FileSensor();

    @Test
    void readyWhenTheFileExistsAndSaysWhatMatched() throws Exception {
        Files.writeString(root.resolve("_SUCCESS"), "hello");

        PokeResult result = poke(root.resolve("_SUCCESS").toString(), root);

        assertThat(result).isInstanceOfSatisfying(PokeResult.Ready.class, ready -> {
            assertThat(ready.message()).contains("_SUCCESS").contains("5 bytes");
            assertThat(ready.details()).containsEntry("size", "5").containsKey("last_modified");
        });
    }

    @Test
    void notReadyWhileTheFileIsMissing() throws Exception {
        assertThat(poke(root.resolve("later/_SUCCESS").toString(), root))
                .isEqualTo(PokeResult.notReady(root.resolve("later/_SUCCESS") + " does not exist"));
    }

    @Test
    void fileUrisWork() throws Exception {
        Files.writeString(root.resolve("f"), "x");

        assertThat(poke(root.resolve("f").toUri().toString(), root)).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void relativePathsObjectStoresAndMissingRootsAreRefused() {
        assertThatThrownBy(() -> poke("data/x", root)).isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("relative");
        assertThatThrownBy(() -> poke("gs://bucket/key", root)).isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("gs://");
        assertThatThrownBy(() -> sensor.poke(request(root.resolve("x").toString()), new SensorEnvironment(List.of())))
                .isInstanceOf(SensorConfigurationException.class).hasMessageContaining("--file-root");
    }

    @Test
    void pathsOutsideTheRootsAreRefusedHoweverTheyAreSpelled() throws Exception {
        Files.writeString(outside.resolve("secret"), "s");
        String dotDot = root + "/../" + outside.getFileName() + "/secret";

        for (String path : List.of(outside.resolve("secret").toString(), dotDot, outside.resolve("secret").toUri().toString(),
                "/etc/passwd")) {
            assertThatThrownBy(() -> poke(path, root)).as(path).isInstanceOf(SensorConfigurationException.class)
                    .hasMessageContaining("--file-root");
        }
    }

    @Test
    void aLinkInsideTheRootThatPointsOutsideIsRefused() throws Exception {
        Files.writeString(outside.resolve("secret"), "s");
        Files.createSymbolicLink(root.resolve("link"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("dir"), outside);

        assertThatThrownBy(() -> poke(root.resolve("link").toString(), root)).hasMessageContaining("--file-root");
        assertThatThrownBy(() -> poke(root.resolve("dir/secret").toString(), root)).hasMessageContaining("--file-root");
        // Not even whether a file exists out there leaks: a missing target is refused the same way.
        assertThatThrownBy(() -> poke(root.resolve("dir/absent").toString(), root)).hasMessageContaining("--file-root");
    }

    @Test
    void aRootThatIsItselfALinkWorks() throws Exception {
        Path linkedRoot = outside.resolve("linked-root");
        Files.createSymbolicLink(linkedRoot, root);
        Files.writeString(root.resolve("f"), "x");

        assertThat(poke(linkedRoot.resolve("f").toString(), linkedRoot)).isInstanceOf(PokeResult.Ready.class);
    }

    private PokeResult poke(String path, Path fileRoot) throws Exception {
        return sensor.poke(request(path), new SensorEnvironment(List.of(fileRoot)));
    }

    private static PokeRequest request(String path) {
        return new PokeRequest(Map.of("path", path), Map.of());
    }
}
