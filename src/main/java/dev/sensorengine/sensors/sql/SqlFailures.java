package dev.sensorengine.sensors.sql;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Secret;
import dev.sensorengine.sensors.SensorConfigurationException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.time.Duration;

/**
 * Sorts the failures of a SqlSensor poke into what retrying cannot fix (the query or the connection is wrong:
 * a {@link SensorConfigurationException}) and what it may (the database is down, busy, or slow: a plain
 * exception, retried with backoff). SQLState classes decide where the driver gives one; SQLite, which gives
 * none, is sorted by its result codes. Every message is stripped of the connection's secrets.
 */
final class SqlFailures {

    /** SQLite primary result codes (sqlite-jdbc puts them in {@link SQLException#getErrorCode()}). */
    private static final int SQLITE_ERROR = 1;

    private static final int SQLITE_PERM = 3;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_INTERRUPT = 9;
    private static final int SQLITE_AUTH = 23;

    private final Connection connection;
    private final Duration queryTimeout;

    SqlFailures(Connection connection, Duration queryTimeout) {
        this.connection = connection;
        this.queryTimeout = queryTimeout;
    }

    /**
     * The exception a poke ends with after {@code e}.
     *
     * @param cancelledByUs whether the poke's own watchdog cancelled the query
     */
    Exception translate(SQLException e, boolean cancelledByUs) {
        SQLException cause = driverCause(e);
        String state = sqlState(e);
        String detail = redact(message(e, cause), connection);
        String where = "connection '" + connection.name() + "'";
        if (cancelledByUs
                || "57014".equals(state)
                || e instanceof SQLTimeoutException
                || (sqlite() && primaryCode(cause) == SQLITE_INTERRUPT)) {
            return new SQLTimeoutException("the query on " + where + " did not finish within sensor_config "
                    + "query_timeout " + seconds(queryTimeout) + " and was cancelled; make the query cheaper or raise "
                    + "query_timeout (at most " + seconds(SqlSensor.MAX_QUERY_TIMEOUT) + ")");
        }
        String problem = problem(state, cause);
        if (problem != null) {
            return new SensorConfigurationException(problem + " (" + where + "): " + detail);
        }
        return new SQLException(where + ": " + detail, state);
    }

    /** What is wrong with the task or the connection, or null when the failure may pass. */
    private String problem(String state, SQLException cause) {
        if (state != null) {
            if (state.equals("25006")) {
                return readOnly();
            }
            if (state.equals("42501")) {
                return "the connection's database user may not run this query";
            }
            return switch (state.length() >= 2 ? state.substring(0, 2) : state) {
                case "42" -> "the query is wrong (syntax, or a table or column that does not exist)";
                case "3D", "3F" -> "the database or schema does not exist";
                case "28" ->
                    "the database refused the connection's login; an operator must fix the connection's "
                            + "username or password";
                case "0A" -> "the database does not support this query";
                case "22" -> "the query failed on the data it read (a bad cast, say); the query must handle that data";
                default -> null;
            };
        }
        if (cause instanceof SQLSyntaxErrorException) {
            return "the query is wrong";
        }
        if (cause instanceof SQLInvalidAuthorizationSpecException) {
            return "the database refused the connection's login";
        }
        if (cause instanceof SQLFeatureNotSupportedException) {
            return "the database does not support this query";
        }
        if (sqlite()) {
            return switch (primaryCode(cause)) {
                case SQLITE_ERROR -> "the query is wrong (syntax, or a table or column that does not exist)";
                case SQLITE_READONLY -> readOnly();
                case SQLITE_PERM, SQLITE_AUTH -> "the database refused access";
                default -> null;
            };
        }
        return null;
    }

    private static String readOnly() {
        return "the query tries to change the database, but sensors run read-only queries";
    }

    private boolean sqlite() {
        return connection.url().startsWith("jdbc:sqlite:");
    }

    /** The driver's own exception: pools wrap it (HikariCP's "connection is not available" carries it as cause). */
    private static SQLException driverCause(SQLException e) {
        SQLException deepest = e;
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException sql) {
                deepest = sql;
            }
        }
        return deepest;
    }

    private static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && !sql.getSQLState().isBlank()) {
                return sql.getSQLState();
            }
            if (t == t.getCause()) {
                break;
            }
        }
        return null;
    }

    private static String message(SQLException outer, SQLException cause) {
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause != outer
                && outer.getMessage() != null
                && outer.getMessage().contains("Connection is not available")) {
            text = "no connection within the pool's connection_timeout: " + text;
        }
        return text.strip().replaceAll("\\s+", " ");
    }

    private static int primaryCode(SQLException e) {
        return e.getErrorCode() & 0xff;
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /** {@code text} with every secret value of {@code connection} replaced by {@code ***}. */
    static String redact(String text, Connection connection) {
        String redacted = text;
        for (Secret secret : connection.secrets().values()) {
            String value;
            try {
                value = secret.reveal();
            } catch (RuntimeException e) {
                continue;
            }
            if (!value.isEmpty()) {
                redacted = redacted.replace(value, "***");
            }
        }
        return redacted;
    }
}
