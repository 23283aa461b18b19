package dev.sensorengine.sensors.http;

import dev.sensorengine.sensors.Secret;
import dev.sensorengine.sensors.SensorConfigurationException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes one HTTP call for a sensor, within one deadline for the whole answer, and names what went wrong: "timed
 * out after 10s waiting for host", "cannot connect to host (connection refused or unreachable)". Never puts a
 * header value in a message.
 */
public final class HttpCaller {

    private final HttpClients clients;

    public HttpCaller(HttpClients clients) {
        this.clients = clients;
    }

    /**
     * @param keepBytes how much of the body to keep; 0 reads none (the connection is closed after the headers)
     * @throws HttpPokeException for a timeout, a refused or broken connection
     * @throws SensorConfigurationException when a connection's header cannot be sent
     */
    public HttpAnswer send(HttpTarget target, String method, Duration timeout, int keepBytes)
            throws HttpPokeException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.uri()).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (Map.Entry<String, Secret> header : target.headers().entrySet()) {
            try {
                request.header(header.getKey(), header.getValue().reveal());
            } catch (IllegalArgumentException e) {
                throw new SensorConfigurationException("connection '" + target.connection().orElse("")
                        + "': header '" + header.getKey() + "' cannot be sent (a restricted or malformed header)");
            }
        }
        // Without a connection's headers there is nothing to leak, so redirects are followed.
        boolean follow = target.headers().isEmpty();
        CompletableFuture<HttpResponse<LimitedBody.Bytes>> call = clients.client(follow)
                .sendAsync(request.build(), info -> new LimitedBody(keepBytes));
        try {
            HttpResponse<LimitedBody.Bytes> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new HttpAnswer(response.statusCode(), response.headers(), response.body().bytes(),
                    response.body().truncated());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw timedOut(target, timeout, e);
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw failed(target, timeout, e.getCause());
        }
    }

    private static HttpPokeException failed(HttpTarget target, Duration timeout, Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return new HttpPokeException("connecting to " + target.host() + " timed out after "
                    + seconds(HttpClients.CONNECT_TIMEOUT), cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return timedOut(target, timeout, cause);
        }
        if (cause instanceof ConnectException) {
            if (cause.getCause() instanceof UnresolvedAddressException) {
                return new HttpPokeException("cannot resolve host " + target.uri().getHost(), cause);
            }
            return new HttpPokeException("cannot connect to " + target.host()
                    + " (connection refused or unreachable)", cause);
        }
        String kind = cause instanceof IOException ? "I/O error" : "error";
        return new HttpPokeException(kind + " talking to " + target.host() + ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage()), cause);
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
