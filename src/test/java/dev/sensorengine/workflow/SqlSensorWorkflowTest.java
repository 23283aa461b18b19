package dev.sensorengine.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.sensors.sql.SqlSensor;
import dev.sensorengine.workflow.poke.PokeActivityImpl;
import dev.sensorengine.workflow.poke.PokeRunner;
import dev.sensorengine.workflow.poke.RateLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SqlSensor end to end through the sensor workflow and the poke activity, on Temporal's time-skipping server. */
class SqlSensorWorkflowTest {

    private static final String QUEUE = "sql-sensors";

    @TempDir
    Path dir;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final SensorRegistry sensors = new SensorRegistry(List.of(new SqlSensor()));
    private TestWorkflowEnvironment env;
    private String url;

    @BeforeEach
    void start() throws SQLException {
        url = "jdbc:sqlite:" + dir.resolve("loads.db");
        write("CREATE TABLE loads (day TEXT PRIMARY KEY, rows_loaded INTEGER)");
        SensorEnvironment environment = new SensorEnvironment(
                List.of(),
                new Connections(List.of(new Connection("warehouse", "jdbc", url, Map.of(), Map.of(), Map.of()))));
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
                        .setDataConverter(Json.dataConverter())
                        .build())
                .build());
        Worker worker = env.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(SensorWorkflowImpl.class);
        worker.registerActivitiesImplementations(new PokeActivityImpl(
                new PokeRunner(sensors, environment, RateLimits.none(), Duration.ZERO, metrics),
                metrics,
                new ServerClock(() -> env.currentTimeMillis())));
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
        sensors.close();
    }

    @Test
    void waitsForTheRowThenSucceedsWithTheValue() throws SQLException {
        WorkflowStub stub = start(Map.of("query", "SELECT rows_loaded FROM loads WHERE day = '2026-11-28'"));
        // No row yet, then a row with 0: both "not yet". Pokes come every 30 s of the test server's skipped time.
        env.sleep(Duration.ofSeconds(45));
        await().atMost(Duration.ofSeconds(10)).until(() -> pokes("not_ready") >= 2);
        write("INSERT INTO loads VALUES ('2026-11-28', 0)");
        double notReadyBefore = pokes("not_ready");
        env.sleep(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(10)).until(() -> pokes("not_ready") >= notReadyBefore + 2);

        write("UPDATE loads SET rows_loaded = 1250 WHERE day = '2026-11-28'");
        SensorResult result = stub.getResult(SensorResult.class);

        assertThat(result.message()).isEqualTo("query on 'warehouse' returned 1250");
        assertThat(result.details()).containsEntry("value", "1250").containsEntry("connection", "warehouse");
        assertThat(result.pokes()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aWrongQueryFailsTheSensorAtOnce() {
        WorkflowStub stub = start(Map.of("query", "SELECT rows_loaded FROM no_such_table"));

        assertThatThrownBy(() -> stub.getResult(SensorResult.class))
                .isInstanceOf(WorkflowFailedException.class)
                .cause()
                .hasMessageContaining("the query is wrong")
                .hasMessageContaining("no such table: no_such_table");
        assertThat(pokes("configuration_error")).isEqualTo(1);
    }

    private WorkflowStub start(Map<String, Object> inputs) {
        SensorSpec spec = new SensorSpec(
                "sensor_engine.sensors",
                "SqlSensor",
                Map.of("connection", "warehouse"),
                inputs,
                new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(5), Duration.ofDays(1)),
                Instant.ofEpochMilli(env.currentTimeMillis()));
        WorkflowStub stub = env.getWorkflowClient()
                .newUntypedWorkflowStub(
                        SensorWorkflow.TYPE,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(QUEUE)
                                .setWorkflowId("sql-" + System.nanoTime())
                                .build());
        stub.start(spec);
        return stub;
    }

    private double pokes(String result) {
        return metrics.find("sensor.pokes").tag("result", result).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private void write(String sql) throws SQLException {
        try (var db = DriverManager.getConnection(url);
                var statement = db.createStatement()) {
            statement.executeUpdate(sql);
        }
    }
}
