package dev.sensorengine.sensors.http;

import java.io.IOException;

/**
 * A transient failure of an HTTP call: a 5xx answer, throttling, a timeout, a refused or broken connection. The
 * message says which, e.g. "HTTP 503 from api.example.com" or "timed out after 10s waiting for api.example.com".
 */
public final class HttpPokeException extends IOException {

    public HttpPokeException(String message) {
        super(message);
    }

    public HttpPokeException(String message, Throwable cause) {
        super(message, cause);
    }
}
