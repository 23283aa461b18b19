package dev.sensorengine.bench;

import dev.sensorengine.bench.BenchSide.BenchSensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wake on events (issue 16): N waiting FileSensors that poke hourly, of which E see their object appear, each
 * announced by one CloudEvent posted to the service's push endpoint, as a store's notifier would. Each detection is
 * timed from the event's post to the GetTask that first reads SUCCEEDED (read every 20 ms), so the figure includes
 * the visibility lookup, the signal, the wake poke and the describe. Pokes are counted at the watched system, so a
 * detection that took more than one poke shows.
 */
final class EventsPhase {

    /** How often a woken sensor is read while its event is in flight. */
    private static final Duration READ_EVERY = Duration.ofMillis(20);
    /** A detection slower than this counts as missed (the hourly poll would catch it, but much later). */
    private static final Duration GIVE_UP = Duration.ofSeconds(60);

    /**
     * @param sensors waiting sensors
     * @param events objects that appeared, each with its event
     * @param detection from each event's post to the GetTask reading SUCCEEDED; its errors are missed sensors
     * @param pokesPerDetection pokes at the watched system during the detections, per event
     * @param postP99Millis the push endpoint's p99 answer time (it answers once the matching sensors are signalled)
     * @param refusedEvents events the endpoint did not answer 200
     */
    record Events(
            int sensors,
            int events,
            Latencies.Summary detection,
            double pokesPerDetection,
            double postP99Millis,
            long refusedEvents) {}

    private final WatchedServer watched;
    private final String group;
    private final int concurrency;
    private final Deployment.EventsEndpoint endpoint;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EventsPhase(WatchedServer watched, String group, int concurrency, Deployment.EventsEndpoint endpoint) {
        this.watched = watched;
        this.group = group;
        this.concurrency = concurrency;
        this.endpoint = endpoint;
    }

    /** @param hourly the service side, its sensors poking every hour */
    Events run(BenchSide hourly, int sensors, int events) throws InterruptedException {
        BenchSensor[] made = new BenchSensor[sensors];
        String[] urls = new String[sensors];
        Workload.run("events: make", sensors, concurrency, i -> {
            urls[i] = watched.url(group, Integer.toString(i));
            made[i] = hourly.create(group, i, urls[i]);
        });
        // Every sensor pokes once at its creation; after that only a wake pokes within the hour.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + sensors / 10);
        while (watched.requests(group) < sensors && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        long pokesBefore = watched.requests(group);
        int step = Math.max(1, sensors / events);
        Latencies posts = new Latencies(events);
        AtomicLong refused = new AtomicLong();
        Latencies.Summary detection = Workload.run("events: detect", events, concurrency, k -> {
            int i = (k * step) % sensors;
            watched.appear(urls[i]);
            long sent = System.nanoTime();
            if (!post(urls[i], "bench-" + group + "-" + i)) {
                refused.incrementAndGet();
            }
            posts.record(System.nanoTime() - sent);
            long giveUp = sent + GIVE_UP.toNanos();
            while (!hourly.observe(made[i]).succeeded()) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException("not detected within " + GIVE_UP);
                }
                sleep(READ_EVERY);
            }
        });
        long pokes = watched.requests(group) - pokesBefore;
        Workload.discard("clear events", hourly, made, concurrency);
        return new Events(
                sensors,
                events,
                detection,
                (double) pokes / events,
                posts.summary(1).p99(),
                refused.get());
    }

    /** A CloudEvent in binary mode naming the object in its subject; true when the endpoint answered 200. */
    private boolean post(String object, String id) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.uri() + "?token=" + endpoint.token()))
                .timeout(Duration.ofSeconds(10))
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", "/sensor-engine/bench")
                .header("ce-type", "dev.sensorengine.bench.object.created")
                .header("ce-subject", object)
                .header("ce-time", Instant.now().toString())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
