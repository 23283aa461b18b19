package dev.sensorengine.events;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.sensorengine.engine.ObjectEvent;
import dev.sensorengine.engine.WakeReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /events}: one notification per request. The answer tells the sender whether to retry:
 *
 * <ul>
 *   <li>200 once the waker has returned for every object the message names (or it names none that wake: 200 too,
 *       so that the sender does not retry a test message or a deletion);
 *   <li>400 with the reason for a body in no known format; 413 for one over the size limit; 405 for another method;
 *   <li>401 without the token or with a wrong one, before the body is read;
 *   <li>503 with {@code Retry-After} when Temporal could not take the events, so the sender retries;
 *   <li>501 when this deployment cannot take events at all (the reason says why), 500 when waking failed otherwise.
 * </ul>
 */
final class PushEndpoint implements HttpHandler {

    static final String PATH = "/events";
    private static final Logger log = LoggerFactory.getLogger(PushEndpoint.class);
    /** Seconds a sender is asked to wait before retrying after a 503. */
    private static final String RETRY_AFTER_SECONDS = "5";

    private final BearerToken token;
    private final int maxBodyBytes;
    private final EventDelivery delivery;
    private final EventMetrics metrics;
    private final Clock clock;

    PushEndpoint(BearerToken token, int maxBodyBytes, EventDelivery delivery, EventMetrics metrics, Clock clock) {
        this.token = token;
        this.maxBodyBytes = maxBodyBytes;
        this.delivery = delivery;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            answer(exchange);
        } catch (IOException e) {
            // The sender went away mid-request; it retries on its own.
            log.debug("push request cut off: {}", e.toString());
        } catch (RuntimeException e) {
            // A bug: answer it rather than drop the connection, which a sender cannot tell from a network fault.
            log.error("push request failed", e);
            metrics.received(PushFormats.HTTP, Outcome.FAILED);
            if (exchange.getResponseCode() == -1) {
                send(exchange, 500, Map.of("error", "internal error: " + e));
            }
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        Instant receivedAt = clock.instant();
        String path = exchange.getRequestURI().getPath();
        if (!path.equals(PATH) && !path.equals(PATH + "/")) {
            send(exchange, 404, Map.of("error", "no such path; events are posted to " + PATH));
            return;
        }
        if (!token.admits(exchange.getRequestHeaders(), exchange.getRequestURI().getRawQuery())) {
            metrics.received(PushFormats.HTTP, Outcome.UNAUTHORIZED);
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            send(
                    exchange,
                    401,
                    Map.of(
                            "error",
                            "missing or wrong token: send 'Authorization: Bearer <token>' or ?"
                                    + BearerToken.QUERY_PARAMETER + "=<token>"));
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            metrics.received(PushFormats.HTTP, Outcome.REFUSED);
            exchange.getResponseHeaders().set("Allow", "POST");
            send(exchange, 405, Map.of("error", "events are POSTed"));
            return;
        }
        byte[] body = readBody(exchange);
        if (body == null) {
            metrics.received(PushFormats.HTTP, Outcome.REFUSED);
            send(
                    exchange,
                    413,
                    Map.of("error", "the body is larger than " + maxBodyBytes + " bytes (--events-max-body-size)"));
            return;
        }
        Parsed parsed = PushFormats.read(exchange.getRequestHeaders(), body, "http-" + UUID.randomUUID(), receivedAt);
        if (parsed instanceof Parsed.Unrecognized unrecognized) {
            metrics.received(parsed.source(), Outcome.REFUSED);
            send(exchange, 400, Map.of("error", unrecognized.reason()));
            return;
        }
        if (parsed instanceof Parsed.Ignored ignored) {
            metrics.received(parsed.source(), Outcome.IGNORED);
            send(exchange, 200, Map.of("ignored", ignored.reason()));
            return;
        }
        Parsed.Objects objects = (Parsed.Objects) parsed;
        deliver(exchange, objects);
    }

    private void deliver(HttpExchange exchange, Parsed.Objects objects) throws IOException {
        Delivery result = delivery.deliver(objects.events());
        if (result instanceof Delivery.Woken woken) {
            metrics.received(objects.source(), Outcome.ACCEPTED);
            WakeReport total = woken.total();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put(
                    "objects",
                    objects.events().stream().map(ObjectEvent::object).toList());
            answer.put("matched", total.matched());
            answer.put("woken", total.woken());
            send(exchange, 200, answer);
        } else if (result instanceof Delivery.RetryLater later) {
            metrics.received(objects.source(), Outcome.UNAVAILABLE);
            exchange.getResponseHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
            send(exchange, 503, Map.of("error", later.reason()));
        } else if (result instanceof Delivery.CannotTake cannot) {
            metrics.received(objects.source(), Outcome.FAILED);
            send(exchange, 501, Map.of("error", cannot.reason()));
        } else {
            metrics.received(objects.source(), Outcome.FAILED);
            send(exchange, 500, Map.of("error", ((Delivery.Failed) result).reason()));
        }
    }

    /** The body, or null when it is larger than the limit (said up front by Content-Length, or found reading). */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > maxBodyBytes) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            // One byte more than allowed tells a chunked body that is too large from one that just fits.
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            return body.length > maxBodyBytes ? null : body;
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, ?> answer) throws IOException {
        byte[] bytes = Json.write(answer).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
