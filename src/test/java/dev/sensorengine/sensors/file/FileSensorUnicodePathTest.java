package dev.sensorengine.sensors.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FileSensor's --file-root confinement against Unicode and encoding tricks: look-alike dots and slashes are plain
 * characters of a file name, names are compared as the file system stores them (no Unicode normalization), percent
 * escapes in file:// URIs are decoded before the root check, and a NUL or a lone surrogate is a configuration error.
 * Each escape attempt aims at {@code outside/secret}, next to the root; none may find it.
 */
class FileSensorUnicodePathTest {

    @TempDir
    Path tmp;

    private Path root;
    private final FileSensor sensor = new FileSensor();

    @BeforeEach
    void layout() throws Exception {
        // Under a C locale the JVM cannot name an accented file at all, and this suite would prove nothing: the pom
        // runs tests under LC_ALL=C.UTF-8, and under CI a JVM that still is not UTF-8 fails instead of skipping.
        boolean utf8Names = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));
        if (!utf8Names && "true".equals(System.getenv("CI"))) {
            fail("file names are encoded as " + System.getProperty("sun.jnu.encoding")
                    + ", not UTF-8: run the tests under a UTF-8 locale (the pom sets LC_ALL=C.UTF-8)");
        }
        assumeTrue(utf8Names, "file names encoded as UTF-8");
        root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(Files.createDirectories(root.resolve("data")).resolve("_SUCCESS"), "abc");
        Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("secret"), "do not probe");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\uFF0E\uFF0E", // fullwidth full stops
                "\u2024\u2024", // one dot leaders
                "\uFE52\uFE52", // small full stops
                "\u2025", // two dot leader
                ".\u200B.", // dots around a zero-width space
            })
    void lookAlikeDotsAreAFileNameNotAParent(String dots) throws Exception {
        String path = root + "/" + dots + "/outside/secret";

        assertThat(poke(path, "exact")).isEqualTo(PokeResult.notReady(path + " does not exist"));
        assertThat(poke(root + "/" + dots + "/outside/", "prefix")).isInstanceOf(PokeResult.NotReady.class);
        assertThat(poke(root + "/" + dots + "/outside/*", "glob")).isInstanceOf(PokeResult.NotReady.class);

        // Inside the root, such a directory is simply a directory.
        Files.writeString(
                Files.createDirectories(root.resolve(dots).resolve("outside")).resolve("secret"), "mine");
        assertThat(poke(path, "exact"))
                .isInstanceOfSatisfying(
                        PokeResult.Ready.class,
                        ready -> assertThat(ready.details())
                                .containsEntry("path", path)
                                .containsEntry("size", "4"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u2215", // division slash
                "\uFF0F", // fullwidth solidus
                "\u2044", // fraction slash
                "\u29F8", // big solidus
                "\\", // backslash: a separator on Windows, a character here
            })
    void lookAlikeSlashesAreAFileNameNotASeparator(String slash) throws Exception {
        String path = root + "/.." + slash + "outside" + slash + "secret";

        assertThat(poke(path, "exact")).isEqualTo(PokeResult.notReady(path + " does not exist"));
        assertThat(poke(root + "/.." + slash + "outside" + slash, "prefix")).isInstanceOf(PokeResult.NotReady.class);
        assertThat(poke(root + "/.." + slash + "*", "glob")).isInstanceOf(PokeResult.NotReady.class);
    }

    @Test
    void anotherNormalizationFormOfTheRootIsAnotherDirectory() throws Exception {
        String nfc = Normalizer.normalize("caf\u00e9", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize(nfc, Normalizer.Form.NFD);
        Path accented = Files.createDirectories(tmp.resolve(nfc));
        Files.writeString(accented.resolve("_SUCCESS"), "ok");
        Path lookAlike = Files.createDirectories(tmp.resolve(nfd));
        // A file system that normalizes names (macOS) has one directory here, and nothing to confuse.
        assumeFalse(Files.isSameFile(accented, lookAlike), "the file system keeps NFC and NFD names apart");
        Files.writeString(lookAlike.resolve("secret"), "do not probe");

        assertThat(poke(tmp + "/" + nfc + "/_SUCCESS", "exact", accented)).isInstanceOf(PokeResult.Ready.class);
        // The NFD spelling names the other directory, outside the root: refused, not found and not normalized in.
        assertThatThrownBy(() -> poke(tmp + "/" + nfd + "/secret", "exact", accented))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("--file-root");
        assertThatThrownBy(() -> poke(tmp + "/" + nfd + "/", "prefix", accented))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("--file-root");
        assertThatThrownBy(() -> poke(tmp + "/" + nfc + "/../" + nfd + "/secret", "exact", accented))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("--file-root");
        // And the other way round: a root spelled NFD admits its own files only.
        assertThat(poke(tmp + "/" + nfd + "/secret", "exact", lookAlike)).isInstanceOf(PokeResult.Ready.class);
        assertThatThrownBy(() -> poke(tmp + "/" + nfc + "/_SUCCESS", "exact", lookAlike))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("--file-root");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "%2e%2e/outside/secret",
                "%2E%2E/outside/secret",
                ".%2e/outside/secret",
                "data/%2e%2e/%2e%2e/outside/secret",
                "data%2f..%2f..%2foutside%2fsecret", // encoded separators decode to separators, before the check
                "%2e%2e%2Foutside/secret",
            })
    void percentEncodedDotsAndSlashesInAFileUriAreDecodedBeforeTheRootCheck(String rest) {
        String uri = root.toUri() + rest;

        assertThatThrownBy(() -> poke(uri, "exact"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("outside the directories")
                .hasMessageContaining("--file-root");
        assertThatThrownBy(() -> poke(uri.replace("secret", ""), "prefix"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("--file-root");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "%252e%252e/outside/secret", // encoded twice: decoded once, to a name "%2e%2e"
                "%c0%ae%c0%ae/outside/secret", // overlong UTF-8 dots: bytes of a name, never ".."
                "%c0%afoutside%c0%afsecret", // overlong UTF-8 slash
                "%e0%80%ae%e0%80%ae/outside/secret",
                "%ef%bc%8e%ef%bc%8e/outside/secret", // fullwidth full stops, UTF-8 encoded
                "..%e2%88%95outside%e2%88%95secret", // division slashes, UTF-8 encoded
            })
    void overlongAndDoublyEncodedFormsStayNamesInsideTheRoot(String rest) throws Exception {
        assertThat(poke(root.toUri() + rest, "exact"))
                .isInstanceOfSatisfying(
                        PokeResult.NotReady.class,
                        notReady -> assertThat(notReady.reason())
                                .startsWith(root.toString())
                                .endsWith("does not exist"));
    }

    @Test
    void encodedSeparatorsInAPlainPathAreCharacters() throws Exception {
        String path = root + "/..%2f..%2foutside%2fsecret";

        assertThat(poke(path, "exact")).isEqualTo(PokeResult.notReady(path + " does not exist"));
    }

    @Test
    void aNulInThePathIsAConfigurationError() {
        for (String path :
                List.of(root + "/data/_SUCCESS\u0000", root + "/data\u0000/../../outside/secret", root + "/\u0000")) {
            for (String match : List.of("exact", "prefix", "glob")) {
                assertThatThrownBy(() -> poke(path, match))
                        .isInstanceOf(SensorConfigurationException.class)
                        .hasMessageContaining("not a usable file name")
                        .hasMessageContaining("\\u0000")
                        .hasMessageNotContaining("\u0000");
            }
        }
        assertThatThrownBy(() -> poke(root.toUri() + "data/_SUCCESS%00", "exact"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("not a valid file URI");
    }

    @Test
    void aLoneSurrogateIsAConfigurationError() {
        assertThatThrownBy(() -> poke(root + "/data/\uD800", "exact"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("not a usable file name")
                .hasMessageContaining("\\ud800");
    }

    private PokeResult poke(String path, String match) throws Exception {
        return poke(path, match, root);
    }

    private PokeResult poke(String path, String match, Path fileRoot) throws Exception {
        return sensor.poke(
                new PokeRequest(Map.of("path", path), Map.of("match", match)),
                new SensorEnvironment(List.of(fileRoot)));
    }
}
