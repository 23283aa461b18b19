package dev.sensorengine.sensors.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Secret;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorValues;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One small HikariCP pool per named {@code jdbc} connection, opened at its first use and kept for the life of the
 * process. Every connection it hands out is read-only with auto-commit off, so a query runs in a read-only
 * transaction that the caller rolls back.
 *
 * <p>Connection settings: {@code username}, {@code pool_size} (default 2), {@code connection_timeout} (how long a
 * poke waits for a connection, default 10s); any other setting, and any secret but {@code password}, is passed to
 * the JDBC driver as a connection property ({@code sslmode: require}, say). The password is read from its secret
 * each time a new physical connection is opened, so a rotated secret file is picked up.
 */
final class JdbcPools implements AutoCloseable {

    static final int DEFAULT_POOL_SIZE = 2;
    static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    /** A poke may take a minute at most; a connection must come well within that. */
    static final Duration MAX_CONNECTION_TIMEOUT = Duration.ofSeconds(15);

    private static final Set<String> OWN_SETTINGS = Set.of("username", "pool_size", "connection_timeout");

    private final Map<Connection, HikariDataSource> pools = new ConcurrentHashMap<>();
    private boolean closed;

    /**
     * The pool of {@code connection}, opened now if this is its first use.
     *
     * @throws SensorConfigurationException when the connection's url or settings are unusable
     */
    HikariDataSource pool(Connection connection) {
        HikariDataSource pool = pools.get(connection);
        if (pool != null) {
            return pool;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the SQL connection pools are closed: the service is stopping");
            }
            return pools.computeIfAbsent(connection, JdbcPools::open);
        }
    }

    /** How many pools are open (for tests and diagnostics). */
    int size() {
        return pools.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }

    private static HikariDataSource open(Connection connection) {
        String name = connection.name();
        String url = connection.url();
        if (!url.startsWith("jdbc:")) {
            throw new SensorConfigurationException(
                    "connection '" + name + "' needs a url starting with jdbc:, such as "
                            + "jdbc:postgresql://host:5432/db or jdbc:sqlite:/path/file.db (fix the service's connections file)");
        }
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new SensorConfigurationException("no JDBC driver on this service accepts the url of connection '"
                    + name + "'; the built-in drivers are PostgreSQL (jdbc:postgresql:) and SQLite (jdbc:sqlite:)");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("sql-" + name);
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(poolSize(connection));
        config.setMinimumIdle(0);
        config.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        config.setMaxLifetime(Duration.ofMinutes(30).toMillis());
        config.setConnectionTimeout(connectionTimeout(connection).toMillis());
        // Open no connection now: a database that is down at the first poke is a poke error, retried, not a broken
        // pool.
        config.setInitializationFailTimeout(-1);
        config.setReadOnly(true);
        config.setAutoCommit(false);
        connection.settings().forEach((key, value) -> {
            if (!OWN_SETTINGS.contains(key)) {
                config.addDataSourceProperty(key, value);
            }
        });
        connection.secrets().forEach((key, secret) -> {
            if (!key.equals("password")) {
                config.addDataSourceProperty(key, secret.reveal());
            }
        });
        Optional<String> username = connection.setting("username");
        Optional<Secret> password = connection.secret("password");
        if (username.isPresent()) {
            config.setCredentialsProvider(() ->
                    Credentials.of(username.get(), password.map(Secret::reveal).orElse(null)));
        } else {
            password.ifPresent(secret -> config.addDataSourceProperty("password", secret.reveal()));
        }
        if (url.startsWith("jdbc:sqlite:")) {
            // sqlite-jdbc cannot switch a connection to read-only once it is open: open the file read-only instead.
            config.addDataSourceProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new SensorConfigurationException("connection '" + name + "' cannot be used: "
                    + SqlFailures.redact(String.valueOf(e.getMessage()), connection));
        }
    }

    private static int poolSize(Connection connection) {
        String text = connection.setting("pool_size").orElse(Integer.toString(DEFAULT_POOL_SIZE));
        try {
            int size = Integer.parseInt(text.strip());
            if (size >= 1 && size <= 100) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SensorConfigurationException("connection '" + connection.name() + "' has pool_size '" + text
                + "'; it must be a whole number from 1 to 100 (fix the service's connections file)");
    }

    private static Duration connectionTimeout(Connection connection) {
        Optional<String> text = connection.setting("connection_timeout");
        if (text.isEmpty()) {
            return DEFAULT_CONNECTION_TIMEOUT;
        }
        Duration timeout;
        try {
            timeout = new SensorValues(
                            "connection '" + connection.name() + "' setting", Map.of("connection_timeout", text.get()))
                    .duration("connection_timeout", DEFAULT_CONNECTION_TIMEOUT);
        } catch (SensorConfigurationException e) {
            throw new SensorConfigurationException(e.getMessage() + " (fix the service's connections file)");
        }
        if (timeout.compareTo(Duration.ofMillis(250)) < 0 || timeout.compareTo(MAX_CONNECTION_TIMEOUT) > 0) {
            throw new SensorConfigurationException("connection '" + connection.name() + "' has connection_timeout "
                    + text.get() + "; it must be from 250ms to " + MAX_CONNECTION_TIMEOUT.toSeconds()
                    + "s (fix the service's connections file)");
        }
        return timeout;
    }
}
