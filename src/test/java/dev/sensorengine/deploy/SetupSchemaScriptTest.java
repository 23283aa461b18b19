package dev.sensorengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code deploy/compose/setup-schema.sh} run by {@code sh} against a fake {@code temporal-sql-tool} that answers
 * as the real one does: an existing database is fine, a wrong password or an unknown host stops the script.
 */
class SetupSchemaScriptTest {

    private static final Path SCRIPT = Path.of("deploy/compose/setup-schema.sh");

    /** Logs its arguments; fails {@code create} or {@code update-schema} as {@code FAKE_SQL} says. */
    private static final String FAKE_TOOL = """
            #!/bin/sh
            echo "$*" >> "$FAKE_SQL_LOG"
            case "$*" in
              *" create")
                case "$FAKE_SQL" in
                  exists) echo 'pq: database "temporal" already exists'; exit 1 ;;
                  auth) echo 'pq: password authentication failed for user "temporal"'; exit 1 ;;
                  dns) echo 'dial tcp: lookup postgresql on 127.0.0.11:53: no such host'; exit 1 ;;
                esac ;;
              *update-schema*)
                if [ "$FAKE_SQL" = update ]; then echo 'error: schema update failed: pq: relation exists' >&2; exit 1; fi ;;
            esac
            exit 0
            """;

    @TempDir
    Path bin;

    private Path log;

    @BeforeEach
    void installFakeTool() throws IOException {
        Path tool = bin.resolve("temporal-sql-tool");
        Files.writeString(tool, FAKE_TOOL);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        log = bin.resolve("calls.log");
    }

    @Test
    void parsesAsPosixShell() throws Exception {
        assertThat(run(List.of("sh", "-n", SCRIPT.toString()), Map.of()).exit()).isZero();
        assertThat(run(List.of("bash", "-n", SCRIPT.toString()), Map.of()).exit())
                .isZero();
    }

    @Test
    void aFreshDatabaseGetsBothSchemasInOrder() throws Exception {
        Result result = setup("fresh");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(Files.readAllLines(log))
                .containsExactly(
                        "--plugin postgres12 --ep postgresql -p 5432 -u temporal --db temporal create",
                        "--plugin postgres12 --ep postgresql -p 5432 -u temporal --db temporal_visibility create",
                        "--plugin postgres12 --ep postgresql -p 5432 -u temporal --db temporal setup-schema -v 0.0",
                        "--plugin postgres12 --ep postgresql -p 5432 -u temporal --db temporal update-schema -d "
                                + "/etc/temporal/schema/postgresql/v12/temporal/versioned",
                        "--plugin postgres12 --ep postgresql -p 5432 -u temporal --db temporal_visibility setup-schema "
                                + "-v 0.0",
                        "--plugin postgres12 --ep postgresql -p 5432 -u temporal --db temporal_visibility update-schema "
                                + "-d /etc/temporal/schema/postgresql/v12/visibility/versioned");
    }

    @Test
    void existingDatabasesAreFineOnTheNextUp() throws Exception {
        Result result = setup("exists");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("database temporal exists").contains("Temporal's schemas are up to date");
        assertThat(Files.readAllLines(log)).hasSize(6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth", "dns"})
    void aWrongPasswordOrAnUnknownHostStopsItSayingSo(String failure) throws Exception {
        Result result = setup(failure);

        assertThat(result.exit()).isNotZero();
        assertThat(result.output())
                .contains(failure.equals("auth") ? "password authentication failed" : "no such host")
                .contains("cannot create database temporal on postgresql:5432 as temporal");
        // Nothing after the failed step ran.
        assertThat(Files.readAllLines(log)).hasSize(1);
    }

    @Test
    void aFailedSchemaUpdateStopsIt() throws Exception {
        Result result = setup("update");

        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("schema update failed").doesNotContain("up to date");
    }

    @Test
    void missingSettingsAreNamed() throws Exception {
        Result result = run(
                List.of("sh", SCRIPT.toString()),
                Map.of("PATH", bin + ":" + System.getenv("PATH"), "FAKE_SQL_LOG", log.toString()));

        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("POSTGRES_SEEDS");
        assertThat(log).doesNotExist();
    }

    private Result setup(String fake) throws Exception {
        return run(
                List.of("sh", SCRIPT.toString()),
                Map.of(
                        "PATH", bin + ":" + System.getenv("PATH"),
                        "FAKE_SQL", fake,
                        "FAKE_SQL_LOG", log.toString(),
                        "POSTGRES_SEEDS", "postgresql",
                        "POSTGRES_USER", "temporal",
                        "SQL_PASSWORD", "temporal",
                        "DB_PORT", "5432"));
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().putIfAbsent("PATH", System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
