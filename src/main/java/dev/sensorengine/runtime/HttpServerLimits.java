package dev.sensorengine.runtime;

import java.time.Duration;

/**
 * A bound on how long the JDK's HTTP server (behind {@code /metrics} and the event push endpoint) waits for a request
 * to arrive whole. Without it a client that sends half a request and stalls holds a handler thread for ever, and a
 * few such clients stop the server. The JDK reads the bound once, from a system property, when its first server
 * starts, so {@code serve} sets it before starting anything; a value given with {@code -D} is kept.
 */
final class HttpServerLimits {

    static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";
    /** Ample for any sender on a slow link; a push is a few KiB. */
    static final Duration REQUEST_TIME = Duration.ofSeconds(30);

    private HttpServerLimits() {}

    static void apply() {
        if (System.getProperty(MAX_REQUEST_TIME) == null) {
            System.setProperty(MAX_REQUEST_TIME, Long.toString(REQUEST_TIME.toSeconds()));
        }
    }
}
