package dev.sensorengine.sensors.http;

import dev.sensorengine.sensors.SensorConfigurationException;
import java.net.URI;

/** What an HTTP status that is neither "ready" nor "not yet" means for a sensor. */
public final class HttpStatuses {

    private HttpStatuses() {}

    /** 5xx, 408 and 429 (server trouble, throttling): transient, the poke is retried with backoff. */
    public static boolean isTransient(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /**
     * The exception for an answer that is not what the sensor waits for: a {@link HttpPokeException} for transient
     * trouble, else a {@link SensorConfigurationException} (the URL, method or credentials must change).
     */
    public static Exception unexpected(HttpAnswer answer, HttpTarget target) {
        int status = answer.status();
        String what = "HTTP " + status + " from " + target.host();
        if (isTransient(status)) {
            return new HttpPokeException(what);
        }
        if (status >= 300 && status < 400) {
            String location = answer.headers()
                    .firstValue("Location")
                    .map(HttpStatuses::safe)
                    .orElse("elsewhere");
            return new SensorConfigurationException(what + ": a redirect to " + location + " that is not followed"
                    + (target.headers().isEmpty()
                            ? ""
                            : " (requests that carry a connection's headers never follow " + "redirects)")
                    + "; use the final URL");
        }
        if (status == 401 || status == 403) {
            return new SensorConfigurationException(what + ": access denied to " + target.display()
                    + (target.connection().isPresent()
                            ? "; check the headers of connection '"
                                    + target.connection().get() + "'"
                            : "; name a connection whose headers grant access"));
        }
        return new SensorConfigurationException(
                what + ": the request to " + target.display() + " is refused; fix the URL or method");
    }

    private static String safe(String location) {
        try {
            URI uri = URI.create(location);
            return uri.getHost() == null ? uri.getRawPath() : HttpTarget.display(uri);
        } catch (IllegalArgumentException e) {
            return "an invalid URL";
        }
    }
}
