package dev.sensorengine.facade;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gRPC server treats client connections: how long one lives, and which keepalive pings it sends and accepts.
 *
 * <p>Propeller holds one HTTP/2 connection per connector endpoint for its whole life. Behind a Kubernetes ClusterIP
 * Service that connection sticks to one replica; a maximum age makes the server close it politely (GOAWAY), the
 * client opens a new one, and load spreads again. Gateways and propeller itself (flyteorg/flyte#7458: 30 s, also
 * while idle) send keepalive pings; grpc-java by default refuses pings more often than every 5 minutes, and only
 * while calls are open, answering with GOAWAY {@code ENHANCE_YOUR_CALM} (too_many_pings), which a client sees as
 * UNAVAILABLE.
 *
 * @param maxConnectionAge a connection is closed (GOAWAY) after about this long, with grpc-java's ±10 % jitter;
 *     {@link Duration#ZERO} never closes one
 * @param maxConnectionAgeGrace calls in flight on a connection being closed get this long to finish
 * @param keepAliveTime the server pings a connection that has been quiet this long, to find dead peers and keep
 *     idle connections open through NATs and load balancers
 * @param keepAliveTimeout a connection whose ping is not answered within this is closed
 * @param permitKeepAliveTime the shortest interval between client pings the server accepts, with or without calls
 *     in flight; pings more often than this (three strikes) close the connection with {@code ENHANCE_YOUR_CALM}
 */
public record ConnectionSettings(
        Duration maxConnectionAge,
        Duration maxConnectionAgeGrace,
        Duration keepAliveTime,
        Duration keepAliveTimeout,
        Duration permitKeepAliveTime) {

    /**
     * The defaults of {@code serve}: a connection lives 5 minutes (a new replica gets its share within one age), calls
     * in flight get 30 s (three times propeller's 10 s deadline), the server pings after 1 minute of quiet (under the 350
     * s idle timeout of AWS load balancers), and client pings are accepted every 10 s, with or without calls: grpc-go's
     * smallest keepalive time, and a third of the 30 s that propeller's connector client uses.
     */
    public static final ConnectionSettings DEFAULTS = new ConnectionSettings(
            Duration.ofMinutes(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofSeconds(20),
            Duration.ofSeconds(10));

    public ConnectionSettings {
        requireNotNegative("maxConnectionAge", maxConnectionAge);
        requireNotNegative("maxConnectionAgeGrace", maxConnectionAgeGrace);
        requirePositive("keepAliveTime", keepAliveTime);
        requirePositive("keepAliveTimeout", keepAliveTimeout);
        requireNotNegative("permitKeepAliveTime", permitKeepAliveTime);
    }

    /** Whether connections are closed after {@link #maxConnectionAge}. */
    public boolean agesConnections() {
        return !maxConnectionAge.isZero();
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        requireNotNegative(name, value);
        if (value.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than 0");
        }
    }
}
