package dev.sensorengine.sensors.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JDK's HTTP clients, made on first use and kept: one per redirect policy. An {@link HttpClient} is
 * thread-safe and pools its connections, so every poke shares one.
 */
public final class HttpClients {

    /** How long opening a connection may take. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Map<Boolean, HttpClient> clients = new ConcurrentHashMap<>();

    /**
     * @param followRedirects false when the request carries a connection's headers, which must never reach a host
     *     the connection does not name
     */
    public HttpClient client(boolean followRedirects) {
        return clients.computeIfAbsent(followRedirects, follow -> HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(follow ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                .build());
    }
}
