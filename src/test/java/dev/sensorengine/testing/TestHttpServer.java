package dev.sensorengine.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The JDK's own HTTP server on 127.0.0.1 (or another loopback address), with scripted routes, recording every request it gets. */
public final class TestHttpServer implements AutoCloseable {

    /** One request as the server saw it. */
    public record Seen(String method, String path, Headers headers) {}

    /** Answers one exchange. */
    public interface Route {
        void answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Slow routes hold their answer until this opens (at close), well past any client's timeout. */
    private final CountDownLatch release = new CountDownLatch(1);

    public TestHttpServer() throws IOException {
        this(InetAddress.getLoopbackAddress(), 0);
    }

    /** On {@code address} (Linux answers all of 127.0.0.0/8) and {@code port}, 0 for any free one. */
    public TestHttpServer(InetAddress address, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, port), 0);
        server.setExecutor(threads);
        server.start();
    }

    public TestHttpServer route(String path, Route route) {
        server.createContext(path, exchange -> {
            try (exchange) {
                seen.add(new Seen(
                        exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestHeaders()));
                route.answer(exchange);
            }
        });
        return this;
    }

    /** A route that always answers {@code status} with {@code body} (none for HEAD). */
    public TestHttpServer status(String path, int status, String body) {
        return route(path, exchange -> send(exchange, status, body, Map.of()));
    }

    /** A route that answers only once it is released, at close. */
    public TestHttpServer slow(String path) {
        return route(path, exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(exchange, 200, "late", Map.of());
        });
    }

    public static void send(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        headers.forEach(exchange.getResponseHeaders()::set);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (exchange.getRequestMethod().equals("HEAD") || bytes.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public String url(String path) {
        return "http://" + host() + path;
    }

    public String host() {
        return server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
