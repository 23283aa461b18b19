package dev.sensorengine.sensors.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSensorTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private final FileSensor sensor = new FileSensor();

    @BeforeEach
    void layout() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(Files.createDirectories(root.resolve("data")).resolve("_SUCCESS"), "abc");
        Files.writeString(outside.resolve("secret"), "do not probe");
    }

    private PokeResult poke(String path, Path... roots) throws Exception {
        return sensor.poke(new PokeRequest(Map.of("path", path), Map.of()), new SensorEnvironment(List.of(roots)));
    }

    private PokeResult poke(Path path) throws Exception {
        return poke(path.toString(), root);
    }

    @Test
    void answersToFlytekitNames() {
        assertThat(sensor.names()).containsExactlyInAnyOrder("flytekit.sensor.file_sensor.FileSensor", "FileSensor");
        assertThat(sensor.target(new PokeRequest(Map.of("path", "/data/x"), Map.of())))
                .isEqualTo("/data/x");
    }

    @Test
    void readyWhenTheFileExists() throws Exception {
        Path file = root.resolve("data/_SUCCESS");

        PokeResult result = poke(file);

        assertThat(result).isInstanceOfSatisfying(PokeResult.Ready.class, ready -> {
            assertThat(ready.message()).contains(file.toString()).contains("3 bytes");
            assertThat(ready.details())
                    .containsEntry("path", file.toString())
                    .containsEntry("size", "3")
                    .containsKey("last_modified");
        });
    }

    @Test
    void notReadyWhenTheFileIsMissing() throws Exception {
        Path missing = root.resolve("data/_DONE");

        assertThat(poke(missing)).isEqualTo(PokeResult.notReady(missing + " does not exist"));
        assertThat(poke(root.resolve("not/yet/there"))).isInstanceOf(PokeResult.NotReady.class);
    }

    @Test
    void acceptsAFileUri() throws Exception {
        Path file = root.resolve("data/_SUCCESS");

        PokeResult result = poke(file.toUri().toString(), root);

        assertThat(result)
                .isInstanceOfSatisfying(
                        PokeResult.Ready.class,
                        ready -> assertThat(ready.details()).containsEntry("path", file.toString()));
    }

    @Test
    void refusesARelativePath() {
        assertThatThrownBy(() -> poke("data/_SUCCESS", root))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("'data/_SUCCESS' is relative");
    }

    @Test
    void refusesSchemesNoStoreServes() {
        // s3://, gs:// and http(s):// have their own tests (FileSensorS3Test, FileSensorGcsTest, FileSensorHttpTest).
        assertThatThrownBy(() -> poke("ftp://host/key/_SUCCESS", root))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("'ftp://' paths are not supported");
    }

    @Test
    void refusesEveryPathWithoutFileRoots() {
        assertThatThrownBy(() -> poke(root.resolve("data/_SUCCESS").toString()))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("local paths are disabled")
                .hasMessageContaining("--file-root");
    }

    @Test
    void refusesAPathOutsideTheRoots() {
        assertThatThrownBy(() -> poke(outside.resolve("secret")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("outside the directories this service allows")
                .hasMessageContaining("--file-root");
        assertThatThrownBy(() -> poke(tmp.resolve("rootless"))).isInstanceOf(SensorConfigurationException.class);
    }

    @Test
    void refusesDotDotOutOfTheRoot() {
        assertThatThrownBy(() -> poke(root + "/../outside/secret", root))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("outside the directories");
        assertThatThrownBy(() -> poke(root + "/data/../../outside/missing", root))
                .isInstanceOf(SensorConfigurationException.class);
    }

    @Test
    void acceptsDotDotThatStaysInside() throws Exception {
        assertThat(poke(root + "/data/../data/_SUCCESS", root)).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void refusesALinkInsideTheRootToAnOutsideDirectory() throws Exception {
        Files.createSymbolicLink(root.resolve("escape"), outside);

        assertThatThrownBy(() -> poke(root.resolve("escape/secret")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("outside the directories");
        assertThatThrownBy(() -> poke(root.resolve("escape/not-yet"))).isInstanceOf(SensorConfigurationException.class);
    }

    @Test
    void refusesALinkInsideTheRootToAnOutsideFile() throws Exception {
        Files.createSymbolicLink(root.resolve("secret"), outside.resolve("secret"));

        assertThatThrownBy(() -> poke(root.resolve("secret")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("outside the directories");
    }

    @Test
    void refusesADanglingLinkOutOfTheRootBeforeAndAfterItsTargetAppears() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("later"), outside.resolve("later"));

        assertThatThrownBy(() -> poke(link))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("outside the directories");

        Files.writeString(outside.resolve("later"), "x");
        assertThatThrownBy(() -> poke(link))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("outside the directories");
    }

    @Test
    void refusesADanglingRelativeLinkToAnOutsideDirectory() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("later-dir"), Path.of("../outside/later-dir"));

        assertThatThrownBy(() -> poke(link.resolve("file"))).isInstanceOf(SensorConfigurationException.class);

        Files.writeString(Files.createDirectories(outside.resolve("later-dir")).resolve("file"), "x");
        assertThatThrownBy(() -> poke(link.resolve("file")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("outside the directories");
    }

    @Test
    void refusesALinkOutOfTheRootThatAppearsAtAWatchedPath() throws Exception {
        Path watched = root.resolve("data/incoming");
        assertThat(poke(watched)).isInstanceOf(PokeResult.NotReady.class);

        Files.createSymbolicLink(watched, outside.resolve("secret"));
        assertThatThrownBy(() -> poke(watched))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("outside the directories");
    }

    @Test
    void aLinkLoopIsAnErrorNotAnAdmission() throws Exception {
        Path a = root.resolve("a");
        Files.createSymbolicLink(a, root.resolve("b"));
        Files.createSymbolicLink(root.resolve("b"), a);

        assertThatThrownBy(() -> poke(a)).isInstanceOf(IOException.class);
    }

    @Test
    void followsALinkWhoseTargetInsideTheRootAppearsLater() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("latest"), root.resolve("data/v2"));

        assertThat(poke(link)).isInstanceOf(PokeResult.NotReady.class);

        Files.writeString(root.resolve("data/v2"), "v2");
        assertThat(poke(link)).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void aSymlinkedRootWorks() throws Exception {
        Path linkedRoot = Files.createSymbolicLink(tmp.resolve("current"), root);

        assertThat(poke(linkedRoot.resolve("data/_SUCCESS").toString(), linkedRoot))
                .isInstanceOf(PokeResult.Ready.class);
        assertThat(poke(root.resolve("data/_SUCCESS").toString(), linkedRoot)).isInstanceOf(PokeResult.Ready.class);
        assertThat(poke(linkedRoot.resolve("data/_DONE").toString(), linkedRoot))
                .isInstanceOf(PokeResult.NotReady.class);
        assertThatThrownBy(() -> poke(linkedRoot + "/../outside/secret", linkedRoot))
                .isInstanceOf(SensorConfigurationException.class);
    }

    @Test
    void anyOfSeveralRootsAdmits() throws Exception {
        assertThat(poke(outside.resolve("secret").toString(), root, outside)).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void prefixFindsAnyFileUnderThePath() throws Exception {
        Files.createDirectories(root.resolve("out/dt=1/sub"));
        Files.writeString(root.resolve("out/dt=1/sub/part-1"), "abcd");

        assertThat(poke(root + "/out/", root, "prefix"))
                .isInstanceOfSatisfying(
                        PokeResult.Ready.class,
                        ready -> assertThat(ready.details())
                                .containsEntry(
                                        "path",
                                        root.resolve("out/dt=1/sub/part-1").toString())
                                .containsEntry("size", "4"));
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

        assertThat(poke(glob, root, "glob"))
                .isInstanceOfSatisfying(
                        PokeResult.Ready.class,
                        ready -> assertThat(ready.details())
                                .containsEntry(
                                        "path",
                                        root.resolve("dt=2026-11-28/part-0.parquet")
                                                .toString())
                                .containsEntry("size", "5"));
        assertThat(poke(root + "/**/deep.parquet", root, "glob")).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void prefixAndGlobStayInsideTheRootsAndIgnoreLinks() throws Exception {
        Files.writeString(outside.resolve("secret.parquet"), "s");
        Files.createSymbolicLink(root.resolve("linked.parquet"), outside.resolve("secret.parquet"));
        Files.createSymbolicLink(root.resolve("dir"), outside);

        assertThat(poke(root + "/*.parquet", root, "glob")).isInstanceOf(PokeResult.NotReady.class);
        assertThat(poke(root + "/**.parquet", root, "glob")).isInstanceOf(PokeResult.NotReady.class);
        assertThatThrownBy(() -> poke(root + "/../" + outside.getFileName() + "/", root, "prefix"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("--file-root");
        assertThatThrownBy(() -> poke(outside + "/*.parquet", root, "glob")).hasMessageContaining("--file-root");
        assertThatThrownBy(() -> poke(root + "/dir/*.parquet", root, "glob")).hasMessageContaining("--file-root");
    }

    @Test
    void anUnknownMatchIsAConfigurationError() {
        assertThatThrownBy(() -> poke(root + "/x", root, "regex"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("exact, prefix or glob");
    }

    private PokeResult poke(String path, Path fileRoot, String match) throws Exception {
        return sensor.poke(
                new PokeRequest(Map.of("path", path), Map.of("match", match)),
                new SensorEnvironment(List.of(fileRoot)));
    }
}
