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
    void relativePathsUnknownSchemesAndMissingRootsAreRefused() {
        assertThatThrownBy(() -> poke("data/x", root)).isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("relative");
        assertThatThrownBy(() -> poke("ftp://host/key", root)).isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("ftp://");
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

    @Test
    void prefixFindsAnyFileUnderThePath() throws Exception {
        Files.createDirectories(root.resolve("out/dt=1/sub"));
        Files.writeString(root.resolve("out/dt=1/sub/part-1"), "abc");

        assertThat(poke(root + "/out/", root, "prefix")).isInstanceOfSatisfying(PokeResult.Ready.class, ready -> {
            assertThat(ready.details()).containsEntry("path", root.resolve("out/dt=1/sub/part-1").toString())
                    .containsEntry("size", "3");
        });
        assertThat(poke(root + "/out/dt=1/sub/part-", root, "prefix")).isInstanceOf(PokeResult.Ready.class);
        assertThat(poke(root + "/out/dt=2/", root, "prefix"))
                .isEqualTo(PokeResult.notReady("nothing under " + root + "/out/dt=2/ yet"));
    }

    @Test
    void globMatchesWithinOneDirectoryLevel() throws Exception {
        Files.createDirectories(root.resolve("dt=2026-11-28/nested"));
        Files.writeString(root.resolve("dt=2026-11-28/_SUCCESS"), "");
        Files.writeString(root.resolve("dt=2026-11-28/nested/deep.parquet"), "xx");
        String glob = root + "/dt=2026-11-28/*.parquet";

        assertThat(poke(glob, root, "glob")).isEqualTo(PokeResult.notReady("nothing matches " + glob + " yet"));
        Files.writeString(root.resolve("dt=2026-11-28/part-0.parquet"), "12345");

        assertThat(poke(glob, root, "glob")).isInstanceOfSatisfying(PokeResult.Ready.class, ready ->
                assertThat(ready.details()).containsEntry("path", root.resolve("dt=2026-11-28/part-0.parquet").toString())
                        .containsEntry("size", "5"));
        assertThat(poke(root + "/**/deep.parquet", root, "glob")).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void prefixAndGlobStayInsideTheRootsAndIgnoreLinks() throws Exception {
        Files.writeString(outside.resolve("secret.parquet"), "s");
        Files.createSymbolicLink(root.resolve("linked.parquet"), outside.resolve("secret.parquet"));
        Files.createSymbolicLink(root.resolve("dir"), outside);

        assertThat(poke(root + "/*.parquet", root, "glob")).isInstanceOf(PokeResult.NotReady.class);
        assertThat(poke(root + "/**", root, "glob")).isInstanceOf(PokeResult.NotReady.class);
        assertThatThrownBy(() -> poke(root + "/../" + outside.getFileName() + "/", root, "prefix"))
                .isInstanceOf(SensorConfigurationException.class).hasMessageContaining("--file-root");
        assertThatThrownBy(() -> poke(outside + "/*.parquet", root, "glob")).hasMessageContaining("--file-root");
        assertThatThrownBy(() -> poke(root + "/dir/*.parquet", root, "glob")).hasMessageContaining("--file-root");
    }

    @Test
    void anUnknownMatchIsAConfigurationError() {
        assertThatThrownBy(() -> poke(root + "/x", root, "regex")).isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("exact, prefix or glob");
    }

    private PokeResult poke(String path, Path fileRoot, String match) throws Exception {
        return sensor.poke(new PokeRequest(Map.of("path", path), Map.of("match", match)),
                new SensorEnvironment(List.of(fileRoot)));
    }

    private PokeResult poke(String path, Path fileRoot) throws Exception {
        return sensor.poke(request(path), new SensorEnvironment(List.of(fileRoot)));
    }

    private static PokeRequest request(String path) {
        return new PokeRequest(Map.of("path", path), Map.of());
    }
}
