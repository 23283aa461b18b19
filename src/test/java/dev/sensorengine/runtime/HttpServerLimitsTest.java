package dev.sensorengine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** serve bounds how long the JDK's HTTP server waits for a request, unless the operator set the bound. */
class HttpServerLimitsTest {

    private final String before = System.getProperty(HttpServerLimits.MAX_REQUEST_TIME);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(HttpServerLimits.MAX_REQUEST_TIME);
        } else {
            System.setProperty(HttpServerLimits.MAX_REQUEST_TIME, before);
        }
    }

    @Test
    void setsTheBoundWhenUnsetAndKeepsAnOperatorsOwn() {
        System.clearProperty(HttpServerLimits.MAX_REQUEST_TIME);
        HttpServerLimits.apply();
        assertThat(System.getProperty(HttpServerLimits.MAX_REQUEST_TIME)).isEqualTo("30");

        System.setProperty(HttpServerLimits.MAX_REQUEST_TIME, "120");
        HttpServerLimits.apply();
        assertThat(System.getProperty(HttpServerLimits.MAX_REQUEST_TIME)).isEqualTo("120");
    }
}
