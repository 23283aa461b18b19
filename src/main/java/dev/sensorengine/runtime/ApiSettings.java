package dev.sensorengine.runtime;

import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.facade.ConnectionSettings;
import dev.sensorengine.facade.ServerTls;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The gRPC API that propeller calls.
 *
 * @param grpcPort its port; 0 picks a free one
 * @param tls TLS (and mutual TLS) of the server, or plaintext
 * @param maxConcurrentCalls calls of one RPC kind served at once
 * @param requestLimits what one request may carry
 * @param outageGrace how long GetTask and readiness ride out a Temporal outage ({@code --outage-grace})
 * @param connections how long a client connection lives, and the keepalive pings sent and accepted
 */
public record ApiSettings(
        int grpcPort,
        Optional<ServerTls> tls,
        int maxConcurrentCalls,
        RequestLimits requestLimits,
        Duration outageGrace,
        ConnectionSettings connections) {

    public ApiSettings {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(requestLimits, "requestLimits");
        Objects.requireNonNull(outageGrace, "outageGrace");
        Objects.requireNonNull(connections, "connections");
    }
}
