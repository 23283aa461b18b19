package dev.sensorengine.sensors.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.sensors.SensorConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlTextTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT 1",
                "  SELECT 1 ;  ",
                "SELECT 1; -- done",
                "SELECT 1; /* done */",
                "SELECT ';'",
                "SELECT 'it''s; fine'",
                "SELECT \"odd;name\" FROM t",
                "SELECT $$a;b$$",
                "SELECT $body$ x; $$ y; $body$",
                "SELECT 1 -- a comment; with a semicolon\n FROM t",
                "SELECT /* ; */ 1",
                "SELECT price$eur FROM t WHERE x = $1",
            })
    void oneStatementPasses(String query) {
        String statement = SqlText.singleStatement(query);

        assertThat(statement).doesNotEndWith(";").isEqualTo(statement.strip());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT 1; SELECT 2",
                "SELECT 1;SELECT 2;",
                "SELECT 1;; ",
                "SELECT 'a'; DROP TABLE t",
                "SELECT $$;$$; DELETE FROM t",
                "SELECT 1; -- c\n DELETE FROM t",
            })
    void secondStatementsAreRefused(String query) {
        assertThatThrownBy(() -> SqlText.singleStatement(query))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("must be one SQL statement");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", ";", " ; "})
    void emptyQueriesAreRefused(String query) {
        assertThatThrownBy(() -> SqlText.singleStatement(query))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("no SQL statement");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1;", "SELECT 1 ; -- end", "SELECT 1\n;\n"})
    void theTrailingSemicolonIsDropped(String query) {
        assertThat(SqlText.singleStatement(query)).isEqualTo("SELECT 1");
    }
}
