package dev.sensorengine.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.engine.PendingPokeCounter;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.ScriptedSensor;
import dev.sensorengine.workflow.SensorSpec;
import dev.sensorengine.workflow.SensorWorkflow;
import dev.sensorengine.workflow.SensorWorkflowImpl;
import dev.sensorengine.workflow.WakeSignal;
import dev.sensorengine.workflow.poke.PokeActivityImpl;
import dev.sensorengine.workflow.poke.PokeRunner;
import dev.sensorengine.workflow.poke.RateLimits;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What one poke costs in calls from the worker to the real Temporal server, counted by a gRPC interceptor on the
 * worker's connection: a not-ready poke of a waiting sensor (the hot path: one completing call, its failure, and the
 * poll that delivered it; no heartbeat, no workflow task), and a wake (the signal's workflow task, the wake poke, the
 * memo update). docs/events.md quotes the figures this prints.
 */
class PokeCallCostTest {

    private static final int POKES = 10;

    @Test
    void aNotReadyPokeCostsOneCallAndAWakeAFewMore() {
        Calls calls = new Calls();
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(RealTemporal.shared())
                .setGrpcClientInterceptors(List.of(calls))
                .build());
        WorkflowClient client = WorkflowClient.newInstance(
                service,
                WorkflowClientOptions.newBuilder()
                        .setDataConverter(Json.dataConverter())
                        .build());
        // As the service runs its worker: a workflow cache of one.
        WorkerFactory workers = WorkerFactory.newInstance(
                client,
                WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(1).build());
        String queue = "poke-cost-" + UUID.randomUUID();
        ScriptedSensor sensor = new ScriptedSensor(System::currentTimeMillis);
        sensor.then(1, ScriptedSensor.notReady());
        Worker worker = workers.newWorker(queue);
        worker.registerWorkflowImplementationTypes(SensorWorkflowImpl.class);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        worker.registerActivitiesImplementations(
                new PokeActivityImpl(
                        new PokeRunner(
                                new SensorRegistry(List.of(sensor)),
                                new SensorEnvironment(List.of()),
                                RateLimits.none(),
                                Duration.ZERO,
                                metrics),
                        metrics,
                        Clock.systemUTC()),
                new PendingPokeCounter(client, Duration.ofSeconds(5)));
        workers.start();
        try {
            WorkflowStub stub = client.newUntypedWorkflowStub(
                    SensorWorkflow.TYPE,
                    WorkflowOptions.newBuilder()
                            .setTaskQueue(queue)
                            .setWorkflowId(queue)
                            .build());
            stub.start(new SensorSpec(
                    "tests",
                    "Scripted",
                    Map.of(),
                    Map.of("path", "/cost"),
                    new PokePolicy(Duration.ofMillis(500), Backoff.FIXED, Duration.ofMillis(500), Duration.ofHours(1)),
                    Instant.now()));

            // Not-ready pokes, counted once the sensor has settled into its schedule.
            await().until(() -> sensor.pokedAt.size() >= 3);
            Map<String, Long> before = calls.snapshot();
            int from = sensor.pokedAt.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> sensor.pokedAt.size() >= from + POKES);
            Map<String, Long> polled = Calls.between(before, calls.snapshot());
            int pokes = sensor.pokedAt.size() - from;
            System.out.printf("calls for %d not-ready pokes: %s%n", pokes, polled);
            assertThat(polled.getOrDefault("RecordActivityTaskHeartbeat", 0L)).isZero();
            assertThat(polled.getOrDefault("RespondWorkflowTaskCompleted", 0L))
                    .as("a waiting sensor runs no workflow task")
                    .isZero();
            // One completing call per poke, give or take the poke under way at either end of the window.
            assertThat(polled.getOrDefault("RespondActivityTaskFailed", 0L)).isBetween(pokes - 1L, pokes + 1L);

            stub.cancel();

            // Wakes of an hourly sensor, each answered by a poke of its own: awaited one by one, so none coalesces.
            WorkflowStub hourly = client.newUntypedWorkflowStub(
                    SensorWorkflow.TYPE,
                    WorkflowOptions.newBuilder()
                            .setTaskQueue(queue)
                            .setWorkflowId(queue + "-hourly")
                            .build());
            hourly.start(new SensorSpec(
                    "tests",
                    "Scripted",
                    Map.of(),
                    Map.of("path", "/cost"),
                    new PokePolicy(Duration.ofHours(1), Backoff.FIXED, Duration.ofHours(1), Duration.ofHours(2)),
                    Instant.now()));
            int started = sensor.pokedAt.size();
            await().until(() -> sensor.pokedAt.size() > started);
            Map<String, Long> beforeWakes = calls.snapshot();
            for (int i = 0; i < POKES; i++) {
                int pokesSoFar = sensor.pokedAt.size();
                hourly.signal(SensorWorkflow.WAKE, new WakeSignal("test", "w" + i, "/cost", Instant.now()));
                await().until(() -> sensor.pokedAt.size() > pokesSoFar);
            }
            // The last wake poke's answer and its workflow task.
            await().until(() ->
                    Calls.between(beforeWakes, calls.snapshot()).getOrDefault("RespondActivityTaskFailed", 0L)
                            == POKES);
            Map<String, Long> woken = Calls.between(beforeWakes, calls.snapshot());
            System.out.printf("calls for %d wakes: %s%n", POKES, woken);
            assertThat(woken.getOrDefault("RespondActivityTaskFailed", 0L)).isEqualTo(POKES);
            assertThat(woken.getOrDefault("RecordActivityTaskHeartbeat", 0L)).isZero();
            assertThat(woken.getOrDefault("RespondWorkflowTaskCompleted", 0L))
                    .as("a workflow task for the signal and one for the wake poke's answer")
                    .isBetween(2L * POKES - 2, 2L * POKES + 1);
            hourly.cancel();
        } finally {
            workers.shutdownNow();
            service.shutdownNow();
        }
    }

    /** Calls by method; a poll counts only when it delivered a task. */
    private static final class Calls implements ClientInterceptor {

        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            String name = method.getBareMethodName();
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    if (!name.startsWith("Poll")) {
                        count(name);
                    }
                    super.start(
                            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                                @Override
                                public void onMessage(R message) {
                                    if (message instanceof PollActivityTaskQueueResponse r
                                                    && !r.getTaskToken().isEmpty()
                                            || message instanceof PollWorkflowTaskQueueResponse w
                                                    && !w.getTaskToken().isEmpty()) {
                                        count(name + " (with a task)");
                                    }
                                    super.onMessage(message);
                                }
                            },
                            headers);
                }
            };
        }

        private void count(String name) {
            counts.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
        }

        Map<String, Long> snapshot() {
            Map<String, Long> copy = new TreeMap<>();
            counts.forEach((name, count) -> copy.put(name, count.get()));
            return copy;
        }

        static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after) {
            Map<String, Long> delta = new TreeMap<>();
            after.forEach((name, count) -> {
                long d = count - before.getOrDefault(name, 0L);
                if (d > 0) {
                    delta.put(name, d);
                }
            });
            return delta;
        }
    }
}
