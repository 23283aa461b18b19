package dev.sensorengine.sensors.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.Secret;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SqlSensor against a real PostgreSQL: the one {@code scripts/test-postgres.sh} starts (see {@link TestPostgres}).
 * The sensor logs in as the test user with its password, so every message can be checked for it.
 */
class SqlSensorPostgresTest {

    private static TestPostgres postgres;
    private static SqlSensor sensor;
    private static SensorEnvironment environment;
    private static Path secrets;

    @BeforeAll
    static void createTables(@TempDir Path dir) throws Exception {
        postgres = TestPostgres.fromEnvironment();
        if (postgres == null) {
            return;
        }
        try (var db = postgres.open();
                var statement = db.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS sql_sensor_jobs");
            statement.execute("CREATE TABLE sql_sensor_jobs (name text PRIMARY KEY, done boolean NOT NULL)");
            statement.execute("INSERT INTO sql_sensor_jobs VALUES ('daily', false)");
        }
        secrets = dir;
        Files.writeString(dir.resolve("rotating-password"), "not-the-password-7731\n");
        Map<String, String> variables = Map.of("WAREHOUSE_PASSWORD", postgres.password());
        Map<String, String> user = Map.of("username", postgres.user());
        Map<String, String> quick = Map.of("username", postgres.user(), "connection_timeout", "1s");
        Map<String, Secret> password = Map.of("password", Secret.fromEnvironment("WAREHOUSE_PASSWORD", variables::get));
        String unknownDatabase = postgres.url().substring(0, postgres.url().lastIndexOf('/') + 1) + "no_such_database";
        environment = new SensorEnvironment(
                List.of(),
                new Connections(List.of(
                        new Connection("warehouse", "jdbc", postgres.url(), user, password, Map.of()),
                        new Connection(
                                "rotating",
                                "jdbc",
                                postgres.url(),
                                quick,
                                Map.of("password", Secret.fromFile(dir.resolve("rotating-password"))),
                                Map.of()),
                        new Connection(
                                "nowhere",
                                "jdbc",
                                "jdbc:postgresql://127.0.0.1:1/sensor_test",
                                quick,
                                password,
                                Map.of()),
                        new Connection("unknown-database", "jdbc", unknownDatabase, quick, password, Map.of()))));
        sensor = new SqlSensor();
    }

    @BeforeEach
    void needsPostgres() {
        TestPostgres.assumePresent(postgres);
    }

    @AfterAll
    static void closePools() {
        if (sensor != null) {
            sensor.close();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "NULL",
                "0",
                "false",
                "''",
                "0.0",
                "0::numeric(10,2)",
                "''::bytea",
                "'{}'::int[]",
                "(SELECT done FROM sql_sensor_jobs WHERE name = 'daily')"
            })
    void falsyFirstValuesAreNotReady(String expression) throws Exception {
        assertThat(poke("SELECT " + expression))
                .isInstanceOfSatisfying(
                        PokeResult.NotReady.class,
                        notReady -> assertThat(notReady.reason())
                                .startsWith("query on 'warehouse' returned ")
                                .endsWith("(falsy)"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "'t'",
                "1",
                "'yes'",
                "true",
                "'f'",
                "'0'",
                "0.01",
                "ARRAY[0]",
                "now()",
                "'{}'::jsonb",
                "'\\x00'::bytea",
                "2::bigint"
            })
    void truthyFirstValuesAreReady(String expression) throws Exception {
        assertThat(poke("SELECT " + expression + ", false")).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void readySaysWhatTheQueryReturned() throws Exception {
        assertThat(poke("SELECT count(*) FROM sql_sensor_jobs"))
                .isEqualTo(PokeResult.ready(
                        "query on 'warehouse' returned 1", Map.of("connection", "warehouse", "value", "1")));
    }

    @Test
    void noRowsIsNotReadyOrAFailureWithFailOnEmpty() throws Exception {
        String query = "SELECT done FROM sql_sensor_jobs WHERE name = 'weekly'";

        assertThat(poke(query)).isEqualTo(PokeResult.notReady("query on 'warehouse' returned no rows"));
        assertThatThrownBy(() -> poke(query, Map.of("fail_on_empty", true)))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("fail_on_empty");
    }

    @Test
    void aSyntaxErrorIsAConfigurationError() {
        assertThatThrownBy(() -> poke("SELEC 1"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("the query is wrong")
                .hasMessageContaining("syntax error at or near \"SELEC\"");
    }

    @Test
    void aMissingTableOrColumnIsAConfigurationError() {
        assertThatThrownBy(() -> poke("SELECT 1 FROM no_such_table"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("the query is wrong")
                .hasMessageContaining("\"no_such_table\" does not exist");
        assertThatThrownBy(() -> poke("SELECT nope FROM sql_sensor_jobs"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("column \"nope\" does not exist");
    }

    @Test
    void twoStatementsAreRefusedButDollarQuotedSemicolonsAreFine() throws Exception {
        assertThatThrownBy(() -> poke("SELECT 1; DROP TABLE sql_sensor_jobs"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("must be one SQL statement");

        assertThat(poke("SELECT $$a;b$$ = 'a;b';")).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void writesAreRefusedAsTheTransactionIsReadOnly() throws Exception {
        for (String write : List.of(
                "INSERT INTO sql_sensor_jobs VALUES ('weekly', true) RETURNING 1",
                "WITH changed AS (UPDATE sql_sensor_jobs SET done = true RETURNING 1) SELECT count(*) FROM changed",
                "CREATE TABLE sql_sensor_other AS SELECT 1")) {
            assertThatThrownBy(() -> poke(write))
                    .as(write)
                    .isInstanceOf(SensorConfigurationException.class)
                    .hasMessageContaining("sensors run read-only queries")
                    .hasMessageContaining("read-only transaction");
        }
        try (var db = postgres.open();
                var rows = db.createStatement().executeQuery("SELECT count(*), bool_or(done) FROM sql_sensor_jobs")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(1);
            assertThat(rows.getBoolean(2)).isFalse();
        }
    }

    @Test
    void aSlowQueryIsCancelledAtTheQueryTimeoutAsAPokeErrorAndThePoolStaysUsable() throws Exception {
        long start = System.nanoTime();

        assertThatThrownBy(() -> poke("SELECT pg_sleep(10) IS NULL", Map.of("query_timeout", 1)))
                .isInstanceOf(SQLTimeoutException.class)
                .isNotInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("did not finish within sensor_config query_timeout 1s and was cancelled");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(poke("SELECT true")).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void anUnreachableDatabaseIsAPokeError() {
        Throwable error = catchThrowable(() -> poke("SELECT 1", Map.of("connection", "nowhere")));

        assertThat(error)
                .isInstanceOf(SQLException.class)
                .isNotInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("connection 'nowhere'")
                .hasMessageContaining("refused");
    }

    @Test
    void anUnknownDatabaseIsAConfigurationError() {
        assertThatThrownBy(() -> poke("SELECT 1", Map.of("connection", "unknown-database")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("the database or schema does not exist")
                .hasMessageContaining("\"no_such_database\" does not exist");
    }

    @Test
    void aWrongPasswordIsAConfigurationErrorAndARotatedSecretFileIsPickedUp() throws Exception {
        assertThatThrownBy(() -> poke("SELECT true", Map.of("connection", "rotating")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("the database refused the connection's login")
                .hasMessageContaining("password authentication failed")
                .message()
                .doesNotContain("not-the-password-7731");

        Files.writeString(secrets.resolve("rotating-password"), postgres.password() + "\n");

        assertThat(poke("SELECT true", Map.of("connection", "rotating"))).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void thePasswordAppearsInNoMessage() throws Exception {
        List<String> messages = new ArrayList<>();
        for (String query : List.of(
                "SELEC 1",
                "SELECT 1 FROM no_such_table",
                "INSERT INTO sql_sensor_jobs VALUES ('x', true)",
                "SELECT 1; SELECT 2",
                "SELECT 1/0",
                "SELECT pg_sleep(5)")) {
            messages.add(catchThrowable(() -> poke(query, Map.of("query_timeout", "1s")))
                    .getMessage());
        }
        for (String connection : List.of("nowhere", "unknown-database")) {
            messages.add(catchThrowable(() -> poke("SELECT 1", Map.of("connection", connection)))
                    .getMessage());
        }
        // Even a driver that echoed the password would not show it.
        messages.add(SqlFailures.redact(
                "FATAL: bad password " + postgres.password(),
                environment.connections().get("warehouse", "jdbc")));
        messages.add(poke("SELECT 'ok'").toString());
        messages.add(poke("SELECT 0").toString());

        assertThat(messages)
                .hasSize(11)
                .allSatisfy(message -> assertThat(message).isNotBlank().doesNotContain(postgres.password()));
        assertThat(messages.get(8)).isEqualTo("FATAL: bad password ***");
    }

    private static PokeResult poke(String query) throws Exception {
        return poke(query, Map.of());
    }

    private static PokeResult poke(String query, Map<String, Object> config) throws Exception {
        Map<String, Object> all = new HashMap<>(Map.of("connection", "warehouse"));
        all.putAll(config);
        return sensor.poke(new PokeRequest(Map.of("query", query), all), environment);
    }
}
