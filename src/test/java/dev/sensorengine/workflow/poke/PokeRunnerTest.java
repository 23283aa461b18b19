package dev.sensorengine.workflow.poke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.Sensor;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PokeRunnerTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong();
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    private final CountingSensor sensor = new CountingSensor();
    private final ExecutorService threads = Executors.newFixedThreadPool(20);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void concurrentPokesOfOneTargetMakeOneCall() throws Exception {
        sensor.gate = new CountDownLatch(1);
        PokeRunner runner = runner(Duration.ofSeconds(1));
        List<Future<PokeResult>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(threads.submit(() -> runner.poke("poke-1", "m", "Counting", request("s3://b/k"))));
        }
        // Everyone but the first is waiting on the first one's call before it is let go.
        await().until(() -> metrics.counter("sensor.pokes.shared", "sensor", "CountingSensor")
                        .count()
                == 19);
        sensor.gate.countDown();

        for (Future<PokeResult> result : results) {
            assertThat(result.get()).isEqualTo(PokeResult.notReady("s3://b/k missing (call 1)"));
        }
        assertThat(sensor.calls).hasValue(1);
    }

    @Test
    void aResultIsReusedForTheWindowOnly() throws Exception {
        PokeRunner runner = runner(Duration.ofSeconds(1));

        runner.poke("poke-1", "m", "Counting", request("a"));
        nanos.addAndGet(Duration.ofMillis(900).toNanos());
        PokeResult reused = runner.poke("poke-1", "m", "Counting", request("a"));
        nanos.addAndGet(Duration.ofMillis(200).toNanos());
        PokeResult fresh = runner.poke("poke-1", "m", "Counting", request("a"));

        assertThat(reused).isEqualTo(PokeResult.notReady("a missing (call 1)"));
        assertThat(fresh).isEqualTo(PokeResult.notReady("a missing (call 2)"));
    }

    @Test
    void differentTargetsAreNotShared() throws Exception {
        PokeRunner runner = runner(Duration.ofSeconds(1));

        runner.poke("poke-1", "m", "Counting", request("a"));
        runner.poke("poke-1", "m", "Counting", request("b"));

        assertThat(sensor.calls).hasValue(2);
    }

    @Test
    void errorsAreNotKeptForLaterPokes() throws Exception {
        sensor.failNext = true;
        PokeRunner runner = runner(Duration.ofSeconds(1));

        assertThatThrownBy(() -> runner.poke("poke-1", "m", "Counting", request("a")))
                .isInstanceOf(IOException.class)
                .hasMessage("boom");
        PokeResult next = runner.poke("poke-1", "m", "Counting", request("a"));

        assertThat(next).isEqualTo(PokeResult.notReady("a missing (call 2)"));
    }

    @Test
    void aFailedPokeIsNotLoggedByTheCache() {
        // Found by ApiFuzzTest: every failed poke made Caffeine log "Exception thrown during asynchronous load" with a
        // stack trace on java.util.logging, outside the service's log format.
        sensor.failNext = true;
        PokeRunner runner = runner(Duration.ofSeconds(1));
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger.getLogger("").addHandler(handler);
        try {
            assertThatThrownBy(() -> runner.poke("poke-1", "m", "Counting", request("a")))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> runner.poke("poke-1", "m", "Missing", request("a")))
                    .isInstanceOf(SensorConfigurationException.class);
        } finally {
            Logger.getLogger("").removeHandler(handler);
        }

        assertThat(logged).extracting(LogRecord::getMessage).isEmpty();
    }

    @Test
    void configurationErrorsPassThroughUnwrapped() {
        PokeRunner runner = runner(Duration.ofSeconds(1));

        assertThatThrownBy(() -> runner.poke("poke-1", "m", "Missing", request("a")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("unknown sensor 'm.Missing'");
        assertThatThrownBy(() -> runner.poke("poke-1", "m", "Counting", new PokeRequest(Map.of(), Map.of())))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("input 'key' is missing");
    }

    @Test
    void aPokeBeyondItsTargetsRateLimitIsDeferredToItsTurnWithoutWaitingForIt() throws Exception {
        PokeRunner runner = runner(Duration.ZERO, new RateLimits(Map.of("bucket", 1.0), clock));

        runner.poke("poke-1", "m", "Counting", request("a"));
        assertThatThrownBy(() -> runner.poke("poke-2", "m", "Counting", request("b")))
                .isInstanceOfSatisfying(
                        PokeDeferredException.class,
                        e -> assertThat(e.waitTime()).isEqualTo(Duration.ofSeconds(1)))
                .hasMessage("poke deferred 1s by the rate limit of bucket (1 pokes/s)");
        assertThat(sensor.calls).hasValue(1);
        assertThat(metrics.counter("sensor.pokes.rate.limited", "endpoint", "bucket")
                        .count())
                .isEqualTo(1);

        // At its turn the deferred poke goes on the token it was given; a newcomer waits for the next one.
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(runner.poke("poke-2", "m", "Counting", request("b")))
                .isEqualTo(PokeResult.notReady("b missing (call 2)"));
        assertThatThrownBy(() -> runner.poke("poke-3", "m", "Counting", request("c")))
                .isInstanceOfSatisfying(
                        PokeDeferredException.class,
                        e -> assertThat(e.waitTime()).isEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void aSharedPokeNeedsNoRoomInTheRateLimit() throws Exception {
        PokeRunner runner = runner(Duration.ofSeconds(1), new RateLimits(Map.of("bucket", 1.0), clock));

        PokeResult first = runner.poke("poke-1", "m", "Counting", request("a"));
        PokeResult second = runner.poke("poke-2", "m", "Counting", request("a"));

        assertThat(second).isEqualTo(first);
        assertThat(sensor.calls).hasValue(1);
    }

    private PokeRunner runner(Duration window) {
        return runner(window, RateLimits.none());
    }

    private PokeRunner runner(Duration window, RateLimits limits) {
        return new PokeRunner(
                new SensorRegistry(List.of(sensor)),
                new SensorEnvironment(List.of()),
                limits,
                window,
                metrics,
                nanos::get);
    }

    private static PokeRequest request(String key) {
        return new PokeRequest(Map.of("key", key), Map.of());
    }

    /** Counts its calls; can be held at a gate or made to fail once. */
    private static final class CountingSensor implements Sensor {
        final AtomicInteger calls = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile boolean failNext;

        @Override
        public Set<String> names() {
            return Set.of("Counting");
        }

        @Override
        public Optional<String> endpoint(PokeRequest request) {
            return Optional.of("bucket");
        }

        @Override
        public PokeResult poke(PokeRequest request, SensorEnvironment environment) throws Exception {
            String key = request.inputValues().string("key");
            int call = calls.incrementAndGet();
            gate.await();
            if (failNext) {
                failNext = false;
                throw new IOException("boom");
            }
            return PokeResult.notReady(key + " missing (call " + call + ")");
        }
    }
}
