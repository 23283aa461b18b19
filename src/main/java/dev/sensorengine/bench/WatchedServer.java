package dev.sensorengine.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The watched system: an HTTP server on 127.0.0.1 whose paths are the benchmark's FileSensor targets. A path answers
 * 404 until the benchmark makes it appear, then 200. Every request is counted by its group (the first path segment:
 * which side made the sensor, in which phase) and method, so operations on the watched system are counted at the
 * target, as its owner would see them: the service's worker asks with HEAD, flytekit's FileSensor (fsspec's HTTP
 * filesystem) with GET.
 */
final class WatchedServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
        Thread thread = new Thread(r, "watched-http");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    WatchedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1024);
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
    }

    /** The URL of object {@code name} in {@code group}. */
    String url(String group, String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + group + "/" + name;
    }

    /** The object at {@code url} exists from now on. */
    void appear(String url) {
        present.add(url.substring(url.indexOf('/', "http://".length())));
    }

    /** Requests of every method to {@code group} so far. */
    long requests(String group) {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(group + " "))
                .mapToLong(e -> e.getValue().sum())
                .sum();
    }

    /** Requests so far by group and method, e.g. {@code "cap-service HEAD" -> 1200}. */
    Map<String, Long> counts() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, count) -> copy.put(key, count.sum()));
        return copy;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            int end = path.indexOf('/', 1);
            String group = end < 0 ? path.substring(1) : path.substring(1, end);
            counts.computeIfAbsent(group + " " + exchange.getRequestMethod(), k -> new LongAdder())
                    .increment();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(present.contains(path) ? 200 : 404, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
