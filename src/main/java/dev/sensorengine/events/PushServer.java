package dev.sensorengine.events;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The push endpoint on the JDK's HTTP server, as {@code /metrics} is served: {@code POST /events}, and
 * {@code GET /healthz} for a load balancer's probe. Requests are handled by a few threads, since each waits for
 * Temporal. When all are busy and the queue is full, a new request's connection is closed unanswered (the JDK's server
 * does so when its executor refuses), and the sender retries; the server's own thread never handles a request, so it
 * keeps accepting and closing rather than stall. How long a request may take to arrive whole is bounded JVM-wide by
 * {@code sun.net.httpserver.maxReqTime}, which {@code serve} sets.
 */
final class PushServer implements AutoCloseable {

    private static final int THREADS = 4;
    private static final int QUEUE = 64;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Draining draining;
    private final Duration grace;

    private PushServer(HttpServer server, ThreadPoolExecutor executor, Draining draining, Duration grace) {
        this.server = server;
        this.executor = executor;
        this.draining = draining;
        this.grace = grace;
    }

    static PushServer start(int port, PushEndpoint endpoint, Duration grace) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                THREADS,
                THREADS,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                runnable -> {
                    Thread thread = new Thread(runnable, "events-http-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
        server.setExecutor(executor);
        Draining draining = new Draining(endpoint);
        server.createContext(PushEndpoint.PATH, draining);
        server.createContext("/healthz", exchange -> {
            try (exchange) {
                byte[] ok = "ok\n".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, ok.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(ok);
                }
            }
        });
        server.start();
        return new PushServer(server, executor, draining, grace);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /**
     * Answers new requests with 503 (senders retry them), lets those under way finish within the grace period, then
     * stops. Not {@code HttpServer.stop(delay)} alone: on Java 17 it waits out the whole delay even when idle.
     */
    @Override
    public void close() throws InterruptedException {
        draining.drain(grace);
        server.stop(0);
        executor.shutdownNow();
    }

    /** Counts requests under way, and turns new ones away once stopping. */
    private static final class Draining implements HttpHandler {
        private final HttpHandler handler;
        private int inFlight;
        private boolean stopping;

        Draining(HttpHandler handler) {
            this.handler = handler;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            synchronized (this) {
                if (stopping) {
                    try (exchange) {
                        exchange.getResponseHeaders().set("Retry-After", "5");
                        exchange.sendResponseHeaders(503, -1);
                    }
                    return;
                }
                inFlight++;
            }
            try {
                handler.handle(exchange);
            } finally {
                synchronized (this) {
                    inFlight--;
                    notifyAll();
                }
            }
        }

        synchronized void drain(Duration grace) throws InterruptedException {
            stopping = true;
            long deadline = System.nanoTime() + grace.toNanos();
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
