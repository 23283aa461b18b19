package dev.sensorengine.sensors.sql;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.Sensor;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Airflow's SqlSensor: input {@code query}, run on the named {@code jdbc} connection of {@code sensor_config}
 * {@code connection}. Ready when the first column of the first row is truthy (not NULL, 0, false or an empty
 * string); no row is "not yet", or a failed sensor with {@code fail_on_empty: true}.
 *
 * <p>Least privilege: the query must be one statement ({@link SqlText}), runs in a read-only transaction that is
 * always rolled back, and is cancelled after {@code query_timeout} (default 30s). A wrong query (syntax, unknown
 * table, a write, no permission) fails the sensor; a database that is down or slow is a poke error, retried.
 * Pools live as long as the sensor instance, which is the process: {@link #close} closes them.
 */
public final class SqlSensor implements Sensor, AutoCloseable {

    static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
    /** One poke is bounded at a minute; the connection wait and the query must both fit in it. */
    static final Duration MAX_QUERY_TIMEOUT = Duration.ofSeconds(45);

    private static final int SHOWN_CHARS = 200;

    private final JdbcPools pools = new JdbcPools();

    @Override
    public Set<String> names() {
        return Set.of("sensor_engine.sensors.SqlSensor", "SqlSensor");
    }

    /** The connection's name: rate limits ({@code --rate-limit warehouse=5/s}) apply per database. */
    @Override
    public Optional<String> endpoint(PokeRequest request) {
        return request.configValues().optionalString("connection");
    }

    @Override
    public String target(PokeRequest request) {
        String query =
                request.inputValues().optionalString("query").orElse("").strip().replaceAll("\\s+", " ");
        return "query on '"
                + request.configValues().optionalString("connection").orElse("?") + "': " + shorten(query, 80);
    }

    @Override
    public PokeResult poke(PokeRequest request, SensorEnvironment environment) throws Exception {
        SensorValues config = request.configValues();
        Connection connection = environment.connections().get(config.string("connection"), "jdbc");
        String query = SqlText.singleStatement(request.inputValues().string("query"));
        boolean failOnEmpty = config.bool("fail_on_empty", false);
        Duration timeout = queryTimeout(config);
        String where = "query on '" + connection.name() + "'";

        AtomicBoolean cancelledByUs = new AtomicBoolean();
        try (java.sql.Connection db = pools.pool(connection).getConnection()) {
            try (Statement statement = db.createStatement()) {
                statement.setQueryTimeout((int) Math.ceil(timeout.toMillis() / 1000.0));
                statement.setMaxRows(1);
                statement.setFetchSize(1);
                // setQueryTimeout is the driver's own bound (PostgreSQL cancels on the server); some drivers
                // (SQLite) only use it for lock waits, so a watchdog cancels a query that runs past it anyway.
                CompletableFuture<Void> watchdog = CompletableFuture.runAsync(
                        () -> {
                            cancelledByUs.set(true);
                            cancelQuietly(statement);
                        },
                        CompletableFuture.delayedExecutor(timeout.toMillis() + 500, TimeUnit.MILLISECONDS));
                try {
                    if (!statement.execute(query)) {
                        throw new SensorConfigurationException("input 'query' returned no rows at all (it is not a "
                                + "query); a SqlSensor needs a SELECT or another statement that returns rows");
                    }
                    try (ResultSet rows = statement.getResultSet()) {
                        return result(rows, where, connection.name(), failOnEmpty);
                    }
                } finally {
                    watchdog.cancel(false);
                }
            } finally {
                rollbackQuietly(db);
            }
        } catch (SQLException e) {
            throw new SqlFailures(connection, timeout).translate(e, cancelledByUs.get());
        }
    }

    private static PokeResult result(ResultSet rows, String where, String connection, boolean failOnEmpty)
            throws SQLException {
        if (!rows.next()) {
            if (failOnEmpty) {
                throw new SensorConfigurationException(
                        where + " returned no rows, and sensor_config fail_on_empty " + "is true");
            }
            return PokeResult.notReady(where + " returned no rows");
        }
        Object value = rows.getObject(1);
        String shown = describe(value);
        if (!truthy(value)) {
            return PokeResult.notReady(where + " returned " + shown + " (falsy)");
        }
        return PokeResult.ready(where + " returned " + shown, Map.of("connection", connection, "value", shown));
    }

    /**
     * Airflow's (Python's) rule: NULL, false, zero, and empty strings, byte strings and arrays are falsy; any other
     * value (a non-empty string such as 'f' or '0', a date, JSON) is truthy.
     */
    static boolean truthy(Object value) throws SQLException {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.signum() != 0;
        }
        if (value instanceof BigInteger integer) {
            return integer.signum() != 0;
        }
        if (value instanceof Double || value instanceof Float) {
            return ((Number) value).doubleValue() != 0.0;
        }
        if (value instanceof Number number) {
            return number.longValue() != 0;
        }
        if (value instanceof CharSequence text) {
            return text.length() > 0;
        }
        if (value instanceof byte[] bytes) {
            return bytes.length > 0;
        }
        if (value instanceof Array array) {
            Object elements = array.getArray();
            return elements != null && java.lang.reflect.Array.getLength(elements) > 0;
        }
        if (value instanceof Clob clob) {
            return clob.length() > 0;
        }
        if (value instanceof Blob blob) {
            return blob.length() > 0;
        }
        return true;
    }

    /** The value as messages show it: strings quoted, long values cut. */
    static String describe(Object value) throws SQLException {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof CharSequence text) {
            return "'" + shorten(text.toString(), SHOWN_CHARS) + "'";
        }
        if (value instanceof byte[] bytes) {
            return bytes.length + " bytes";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Array array) {
            Object elements = array.getArray();
            return "an array of " + (elements == null ? 0 : java.lang.reflect.Array.getLength(elements));
        }
        return shorten(String.valueOf(value), SHOWN_CHARS);
    }

    private static Duration queryTimeout(SensorValues config) {
        Duration timeout = config.duration("query_timeout", DEFAULT_QUERY_TIMEOUT);
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(MAX_QUERY_TIMEOUT) > 0) {
            throw new SensorConfigurationException("sensor_config 'query_timeout' must be from 1s to "
                    + MAX_QUERY_TIMEOUT.toSeconds() + "s (one poke may take a minute at most), got "
                    + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms"));
        }
        return timeout;
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static void cancelQuietly(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException | RuntimeException e) {
            // The statement finished or its connection broke: nothing left to cancel.
        }
    }

    private static void rollbackQuietly(java.sql.Connection db) {
        try {
            db.rollback();
        } catch (SQLException | RuntimeException e) {
            // A broken connection: the pool discards it.
        }
    }

    /** Closes every connection pool; called once when the service stops. */
    @Override
    public void close() {
        pools.close();
    }

    /** How many connection pools are open (for tests). */
    int openPools() {
        return pools.size();
    }
}
