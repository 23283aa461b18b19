package dev.sensorengine.flytekit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixtures {@code compat/flytekit_fixtures.py} wrote with flytekit: per case a directory with
 * {@code create_request.pb}, {@code template.pb}, {@code inputs.pb}, {@code resource_meta.bin} (what flytekit's own
 * connector answered, when it answered) and {@code manifest.json}, and an {@code index.json} naming the cases, the
 * versions that wrote them and the local root that the FileSensor cases watch.
 *
 * <p>The build writes them into {@code target/flytekit-fixtures} (the system property {@code flytekit.fixtures})
 * when the tool venv exists. Without them the calling test is skipped, saying why; under CI ({@code CI=true}) it
 * fails instead. Fixtures written by another flytekit than the one {@code scripts/tools-requirements.txt} pins
 * fail the test: the venv is stale, and {@code scripts/tools.sh} rebuilds it.
 *
 * <p>Public for the Python sensors' end-to-end tests ({@code dev.sensorengine.python}), which send the custom
 * sensors' requests to the Python worker.
 */
public record FlytekitFixtures(Path dir, JsonNode index) {

    static final Path BASEDIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    static final String MISSING = "no flytekit fixtures in %s: the build writes them (profile flytekit-fixtures, "
            + "compat/flytekit_fixtures.py) when the tool venv exists; run scripts/tools.sh (scripts/test.sh does), then mvn "
            + "test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PIN = Pattern.compile("(?m)^flytekit(?:\\[[^]]*])?==([^\\s#]+)");

    /** The fixtures of this build; skips the calling test (fails it under CI) when there are none. */
    public static FlytekitFixtures load() {
        Path dir = Path.of(System.getProperty(
                "flytekit.fixtures", BASEDIR.resolve("target/flytekit-fixtures").toString()));
        Path index = dir.resolve("index.json");
        if (!Files.isRegularFile(index)) {
            String missing = String.format(MISSING, dir);
            if ("true".equals(System.getenv("CI"))) {
                fail(missing + " [CI=true, so this fails instead of skipping]");
            }
            assumeTrue(false, missing);
        }
        FlytekitFixtures fixtures = new FlytekitFixtures(dir, read(index));
        String pinned = pinnedFlytekit();
        String wrote = fixtures.index().path("versions").path("flytekit").asText();
        if (!pinned.equals(wrote)) {
            fail("the fixtures in " + dir + " were written by flytekit " + wrote + ", but "
                    + "scripts/tools-requirements.txt pins " + pinned + ": run scripts/tools.sh to rebuild the venv");
        }
        return fixtures;
    }

    /** The flytekit version that {@code scripts/tools-requirements.txt} pins. */
    static String pinnedFlytekit() {
        try {
            Matcher pin = PIN.matcher(Files.readString(BASEDIR.resolve("scripts/tools-requirements.txt")));
            if (!pin.find()) {
                throw new IllegalStateException("scripts/tools-requirements.txt pins no flytekit");
            }
            return pin.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory whose {@code _SUCCESS} the FileSensor cases watch. */
    Path localRoot() {
        return Path.of(index.path("local_root").asText());
    }

    /** The flytekit, flyteidl and protobuf versions that wrote the fixtures. */
    JsonNode versions() {
        return index.path("versions");
    }

    List<String> cases() {
        List<String> names = new ArrayList<>();
        index.path("cases").fieldNames().forEachRemaining(names::add);
        return names;
    }

    public Fixture fixture(String name) {
        Path caseDir = dir.resolve(name);
        if (!Files.isDirectory(caseDir)) {
            throw new IllegalArgumentException("no fixture '" + name + "' in " + dir + "; there are " + cases());
        }
        return new Fixture(name, caseDir, read(caseDir.resolve("manifest.json")));
    }

    /** One case: the bytes flytekit wrote and the manifest of what they hold. */
    public record Fixture(String name, Path dir, JsonNode manifest) {

        public byte[] createRequest() {
            return bytes("create_request.pb");
        }

        byte[] template() {
            return bytes("template.pb");
        }

        byte[] inputs() {
            return bytes("inputs.pb");
        }

        /** What flytekit's own connector answered to CreateTask; empty when it failed (datetime, timedelta). */
        Optional<byte[]> flytekitResourceMeta() {
            return Files.isRegularFile(dir.resolve("resource_meta.bin"))
                    ? Optional.of(bytes("resource_meta.bin"))
                    : Optional.empty();
        }

        String sensorModule() {
            return manifest.path("sensor_module").asText();
        }

        String sensorName() {
            return manifest.path("sensor_name").asText();
        }

        String qualifiedName() {
            return sensorModule() + "." + sensorName();
        }

        private byte[] bytes(String file) {
            try {
                return Files.readAllBytes(dir.resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Plain values as JSON, read back by the same parser as the manifests, so numbers compare by value. */
    static JsonNode json(Object value) {
        try {
            return JSON.readTree(JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
