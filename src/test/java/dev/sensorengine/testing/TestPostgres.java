package dev.sensorengine.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The PostgreSQL that {@code scripts/test-postgres.sh start} runs for the tests, from the environment variables it
 * prints (or the system properties of the same names in lower case with dots: {@code sensor.engine.test.pg.url}).
 * Without them the PostgreSQL tests are skipped, except under CI ({@code CI=true}), where they fail.
 */
public record TestPostgres(String url, String user, String password) {

    static final String MISSING = "no test PostgreSQL: SENSOR_ENGINE_TEST_PG_URL is not set; run "
            + "eval \"$(scripts/test-postgres.sh start)\" first (.ci/run does)";

    /** The test PostgreSQL, or null when there is none; under CI, none is a failure. */
    public static TestPostgres fromEnvironment() {
        String url = value("SENSOR_ENGINE_TEST_PG_URL");
        if (url == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(MISSING + " [CI=true, so this fails instead of skipping]");
            }
            return null;
        }
        return new TestPostgres(url, value("SENSOR_ENGINE_TEST_PG_USER"), value("SENSOR_ENGINE_TEST_PG_PASSWORD"));
    }

    /** Skips the calling test, saying why, when there is no test PostgreSQL. */
    public static void assumePresent(TestPostgres postgres) {
        assumeTrue(postgres != null, MISSING);
    }

    private static String value(String variable) {
        String property = System.getProperty(variable.toLowerCase(Locale.ROOT).replace('_', '.'));
        return property != null ? property : System.getenv(variable);
    }

    public java.sql.Connection open() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
