package dev.sensorengine.sensors.http;

import dev.sensorengine.sensors.Secret;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.network.NetworkPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;

/**
 * Makes one HTTP call for a sensor, within one deadline for the whole answer (redirects included), and names what
 * went wrong: "timed out after 10s waiting for host", "cannot connect to host (connection refused or
 * unreachable)". Never puts a header value in a message.
 *
 * <p>Every request, and every redirect it follows, goes to an address {@link AddressGate} resolved once and
 * checked against the {@link NetworkPolicy}; the connection is opened to that address while the host name still
 * serves for the Host header, TLS SNI and certificate checks.
 */
public final class HttpCaller {

    /** Redirects followed for one call before it is given up as a loop. */
    public static final int MAX_REDIRECTS = 5;

    private final HttpClients clients;
    private final AddressGate gate;

    public HttpCaller(HttpClients clients) {
        this(clients, HostResolver.SYSTEM);
    }

    /** @param resolver where host names are looked up (tests answer as a rebinding DNS server would) */
    public HttpCaller(HttpClients clients, HostResolver resolver) {
        this.clients = clients;
        this.gate = new AddressGate(resolver);
    }

    /**
     * @param policy the addresses the task's URL may reach; a target under a connection's url is the operator's
     *     choice and is not judged
     * @param keepBytes how much of the body to keep; 0 reads none (the connection is closed after the headers)
     * @throws HttpPokeException for a timeout, a refused or broken connection
     * @throws SensorConfigurationException when the target or a redirect reaches a refused address, or a
     *     connection's header cannot be sent
     */
    public HttpAnswer send(HttpTarget target, NetworkPolicy policy, String method, Duration timeout, int keepBytes)
            throws HttpPokeException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // A connection's url was written by the operator, and HttpTarget keeps the task under it; an internal API
        // there is the point of the connection, so its targets are not judged.
        Optional<NetworkPolicy> judged = target.connection().isPresent() ? Optional.empty() : Optional.of(policy);
        // Without a connection's headers there is nothing to leak, so redirects are followed (each one checked).
        boolean follow = target.headers().isEmpty();
        HttpTarget hop = target;
        String hopMethod = method;
        for (int redirects = 0; ; redirects++) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            String subject =
                    hop == target ? target.display() : target.display() + " redirects to " + hop.display() + ", which";
            HttpAnswer answer = once(hop, judged, subject, hopMethod, timeout, deadline, keepBytes);
            Optional<URI> next = follow ? Redirects.next(hop.uri(), answer) : Optional.empty();
            if (next.isEmpty()) {
                return answer;
            }
            if (redirects == MAX_REDIRECTS) {
                throw new SensorConfigurationException(target.display() + " still redirects after " + MAX_REDIRECTS
                        + " redirects (last to " + HttpTarget.display(next.get()) + "); use the final URL");
            }
            hopMethod = Redirects.method(answer.status(), hopMethod);
            hop = new HttpTarget(next.get(), Map.of(), Optional.empty());
        }
    }

    private HttpAnswer once(
            HttpTarget hop,
            Optional<NetworkPolicy> policy,
            String subject,
            String method,
            Duration timeout,
            long deadline,
            int keepBytes)
            throws HttpPokeException {
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
            throw timedOut(hop, timeout, null);
        }
        URI uri = hop.uri();
        InetAddress address;
        try {
            address = gate.pin(uri, policy, subject);
        } catch (UnknownHostException e) {
            throw new HttpPokeException("cannot resolve host " + uri.getHost(), e);
        }
        HttpUriRequestBase request = new HttpUriRequestBase(method, withoutUserInfo(uri));
        for (Map.Entry<String, Secret> header : hop.headers().entrySet()) {
            String value = header.getValue().reveal();
            if (!Headers.sendable(header.getKey(), value)) {
                throw new SensorConfigurationException(
                        "connection '" + hop.connection().orElse("") + "': header '" + header.getKey()
                                + "' cannot be sent (a restricted or malformed header)");
            }
            request.setHeader(header.getKey(), value);
        }
        Timeout remaining = Timeout.of(remainingNanos, TimeUnit.NANOSECONDS);
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(remaining)
                .setConnectionRequestTimeout(remaining)
                .build());
        // The address checked above, with the host name kept for the Host header, SNI and certificate checks.
        HttpHost pinned = new HttpHost(uri.getScheme(), address, AddressGate.bare(uri.getHost()), port(uri));
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> alarm = clients.deadlines()
                .schedule(
                        () -> {
                            expired.set(true);
                            request.cancel();
                        },
                        remainingNanos,
                        TimeUnit.NANOSECONDS);
        try (ClassicHttpResponse response = clients.client().executeOpen(pinned, request, null)) {
            HttpEntity entity = response.getEntity();
            LimitedBody.Bytes body = LimitedBody.read(entity == null ? null : entity.getContent(), keepBytes);
            return new HttpAnswer(response.getCode(), headers(response), body.bytes(), body.truncated());
        } catch (IOException e) {
            throw expired.get() ? timedOut(hop, timeout, e) : failed(hop, timeout, e);
        } finally {
            alarm.cancel(false);
        }
    }

    /**
     * The URI without user information, which the JDK's client ignored and Apache's refuses: credentials go in a
     * connection's headers, not in a task's URL.
     */
    private static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        return URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static HttpHeaders headers(ClassicHttpResponse response) {
        Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : response.getHeaders()) {
            byName.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
        }
        return HttpHeaders.of(byName, (name, value) -> true);
    }

    private static HttpPokeException failed(HttpTarget target, Duration timeout, IOException cause) {
        if (cause instanceof ConnectTimeoutException) {
            return new HttpPokeException(
                    "connecting to " + target.host() + " timed out after " + seconds(HttpClients.CONNECT_TIMEOUT),
                    cause);
        }
        if (cause instanceof SocketTimeoutException) {
            return timedOut(target, timeout, cause);
        }
        if (cause instanceof ConnectException) {
            return new HttpPokeException(
                    "cannot connect to " + target.host() + " (connection refused or unreachable)", cause);
        }
        return new HttpPokeException(
                "I/O error talking to " + target.host() + ": "
                        + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : " " + cause.getMessage()),
                cause);
    }

    private static HttpPokeException timedOut(HttpTarget target, Duration timeout, Throwable cause) {
        return new HttpPokeException("timed out after " + seconds(timeout) + " waiting for " + target.host(), cause);
    }

    /** "10s", or "1.5s" / "500ms" for fractions. */
    static String seconds(Duration duration) {
        if (duration.toMillis() % 1000 == 0) {
            return duration.toSeconds() + "s";
        }
        return duration.toMillis() < 1000 ? duration.toMillis() + "ms" : duration.toMillis() / 1000.0 + "s";
    }
}
