package dev.sensorengine.sensors.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SqlSensor against a real SQLite database in a temporary file. */
class SqlSensorSqliteTest {

    @TempDir
    Path dir;

    private final SqlSensor sensor = new SqlSensor();
    private String url;
    private SensorEnvironment environment;

    @BeforeEach
    void createDatabase() throws SQLException {
        url = "jdbc:sqlite:" + dir.resolve("jobs.db");
        write("CREATE TABLE jobs (name TEXT PRIMARY KEY, done INTEGER)", "INSERT INTO jobs VALUES ('daily', 0)");
        environment = new SensorEnvironment(
                List.of(),
                new Connections(List.of(
                        new Connection("lite", "jdbc", url, Map.of(), Map.of(), Map.of()),
                        new Connection("partner", "http", "https://api.example", Map.of(), Map.of(), Map.of()))));
    }

    @AfterEach
    void closePools() {
        sensor.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"NULL", "0", "false", "''", "0.0", "x''", "(SELECT done FROM jobs WHERE name = 'daily')"})
    void falsyFirstValuesAreNotReady(String expression) throws Exception {
        assertThat(poke("SELECT " + expression))
                .isInstanceOfSatisfying(
                        PokeResult.NotReady.class,
                        notReady -> assertThat(notReady.reason())
                                .startsWith("query on 'lite' returned ")
                                .endsWith("(falsy)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"'t'", "1", "'yes'", "true", "-1", "0.5", "'0'", "'f'", "x'00'", "CURRENT_TIMESTAMP"})
    void truthyFirstValuesAreReady(String expression) throws Exception {
        assertThat(poke("SELECT " + expression + ", 0")).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void readySaysWhatTheQueryReturned() throws Exception {
        PokeResult result = poke("SELECT 'yes' AS ok, 0");

        assertThat(result)
                .isEqualTo(PokeResult.ready(
                        "query on 'lite' returned 'yes'", Map.of("connection", "lite", "value", "'yes'")));
    }

    @Test
    void becomesReadyWhenTheDataChanges() throws Exception {
        String query = "SELECT done FROM jobs WHERE name = 'daily'";
        assertThat(poke(query)).isEqualTo(PokeResult.notReady("query on 'lite' returned 0 (falsy)"));

        write("UPDATE jobs SET done = 1 WHERE name = 'daily'");

        assertThat(poke(query)).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void noRowsIsNotReady() throws Exception {
        assertThat(poke("SELECT done FROM jobs WHERE name = 'weekly'"))
                .isEqualTo(PokeResult.notReady("query on 'lite' returned no rows"));
    }

    @Test
    void noRowsFailsTheSensorWithFailOnEmpty() {
        assertThatThrownBy(() -> poke("SELECT done FROM jobs WHERE name = 'weekly'", Map.of("fail_on_empty", true)))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessage("query on 'lite' returned no rows, and sensor_config fail_on_empty is true");
    }

    @Test
    void aSyntaxErrorIsAConfigurationError() {
        assertThatThrownBy(() -> poke("SELEC done FROM jobs"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("the query is wrong")
                .hasMessageContaining("syntax error")
                .hasMessageContaining("connection 'lite'");
    }

    @Test
    void aMissingTableIsAConfigurationError() {
        assertThatThrownBy(() -> poke("SELECT 1 FROM no_such_table"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("the query is wrong")
                .hasMessageContaining("no such table: no_such_table");
    }

    @Test
    void twoStatementsAreRefusedBeforeReachingTheDatabase() {
        assertThatThrownBy(() -> poke("SELECT 1; DELETE FROM jobs"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("must be one SQL statement");
        assertThat(sensor.openPools()).isZero();
    }

    @Test
    void aTrailingSemicolonAndSemicolonsInStringsAreFine() throws Exception {
        assertThat(poke("SELECT 'a;b';")).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void writesAreRefusedAsTheConnectionIsReadOnly() throws Exception {
        assertThatThrownBy(() -> poke("INSERT INTO jobs VALUES ('weekly', 1) RETURNING 1"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("sensors run read-only queries");
        assertThatThrownBy(() -> poke("UPDATE jobs SET done = 1")).isInstanceOf(SensorConfigurationException.class);
        assertThatThrownBy(() -> poke("DROP TABLE jobs")).isInstanceOf(SensorConfigurationException.class);

        assertThat(poke("SELECT count(*) = 1 AND max(done) = 0 FROM jobs")).isInstanceOf(PokeResult.Ready.class);
    }

    @Test
    void aStatementWithoutRowsIsAConfigurationError() {
        assertThatThrownBy(() -> poke("PRAGMA user_version = 3")).isInstanceOf(SensorConfigurationException.class);
    }

    @Test
    void aSlowQueryIsCancelledAtTheQueryTimeoutAsAPokeError() {
        String endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT max(x) FROM n";
        long start = System.nanoTime();

        assertThatThrownBy(() -> poke(endless, Map.of("query_timeout", "1s")))
                .isInstanceOf(SQLTimeoutException.class)
                .hasMessageContaining("did not finish within sensor_config query_timeout 1s");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void queryTimeoutMustFitInOnePoke() {
        assertThatThrownBy(() -> poke("SELECT 1", Map.of("query_timeout", "2m")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("'query_timeout' must be from 1s to 45s")
                .hasMessageContaining("got 120s");
        assertThatThrownBy(() -> poke("SELECT 1", Map.of("query_timeout", "soon")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("a duration");
    }

    @Test
    void aDatabaseFileThatIsNotThereYetIsAPokeError() {
        SensorEnvironment missing = new SensorEnvironment(
                List.of(),
                new Connections(List.of(new Connection(
                        "later",
                        "jdbc",
                        "jdbc:sqlite:" + dir.resolve("later.db"),
                        Map.of("connection_timeout", "500ms"),
                        Map.of(),
                        Map.of()))));

        assertThatThrownBy(() -> sensor.poke(request("SELECT 1", Map.of("connection", "later")), missing))
                .isInstanceOf(SQLException.class)
                .isNotInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("connection 'later'");
    }

    @Test
    void anUnknownConnectionIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> poke("SELECT 1", Map.of("connection", "warehouse")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessage("unknown connection 'warehouse'; this service has [lite, partner]");
    }

    @Test
    void aConnectionOfAnotherTypeIsRefused() {
        assertThatThrownBy(() -> poke("SELECT 1", Map.of("connection", "partner")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessage("connection 'partner' is of type http, but this sensor needs a jdbc connection");
    }

    @Test
    void theConnectionAndTheQueryAreRequired() {
        assertThatThrownBy(() -> sensor.poke(new PokeRequest(Map.of("query", "SELECT 1"), Map.of()), environment))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("sensor_config 'connection' is missing");
        assertThatThrownBy(() -> sensor.poke(new PokeRequest(Map.of(), Map.of("connection", "lite")), environment))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("input 'query' is missing");
    }

    @Test
    void aUrlNoDriverTakesIsAConfigurationError() {
        SensorEnvironment odd = new SensorEnvironment(
                List.of(),
                new Connections(List.of(
                        new Connection("odd", "jdbc", "jdbc:oracle:thin:@db:1521/x", Map.of(), Map.of(), Map.of()))));

        assertThatThrownBy(() -> sensor.poke(request("SELECT 1", Map.of("connection", "odd")), odd))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("no JDBC driver on this service accepts the url of connection 'odd'");
    }

    @Test
    void theEndpointIsTheConnectionNameAndTheTargetShowsTheQuery() {
        PokeRequest request = request("SELECT done\n  FROM jobs", Map.of("connection", "lite"));

        assertThat(sensor.endpoint(request)).contains("lite");
        assertThat(sensor.target(request)).isEqualTo("query on 'lite': SELECT done FROM jobs");
        assertThat(sensor.names()).contains("SqlSensor", "sensor_engine.sensors.SqlSensor");
        assertThat(SensorRegistry.load().resolve("sensor_engine.sensors", "SqlSensor"))
                .isInstanceOf(SqlSensor.class);
    }

    @Test
    void oneSmallPoolServesConcurrentPokesAndCloseEndsIt() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<PokeResult>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(threads.submit(() -> poke("SELECT count(*) FROM jobs")));
            }
            for (Future<PokeResult> result : results) {
                assertThat(result.get()).isInstanceOf(PokeResult.Ready.class);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(sensor.openPools()).isEqualTo(1);

        sensor.close();

        assertThat(sensor.openPools()).isZero();
        assertThatThrownBy(() -> poke("SELECT 1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closingTheRegistryClosesTheSensor() throws Exception {
        SensorRegistry registry = new SensorRegistry(List.of(sensor));
        poke("SELECT 1");

        registry.close();

        assertThat(sensor.openPools()).isZero();
    }

    private PokeResult poke(String query) throws Exception {
        return poke(query, Map.of());
    }

    private PokeResult poke(String query, Map<String, Object> config) throws Exception {
        Map<String, Object> all = new HashMap<>(Map.of("connection", "lite"));
        all.putAll(config);
        return sensor.poke(request(query, all), environment);
    }

    private static PokeRequest request(String query, Map<String, Object> config) {
        return new PokeRequest(Map.of("query", query), config);
    }

    private void write(String... statements) throws SQLException {
        try (java.sql.Connection db = DriverManager.getConnection(url);
                var statement = db.createStatement()) {
            for (String sql : statements) {
                statement.executeUpdate(sql);
            }
        }
    }
}
