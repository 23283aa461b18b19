package dev.sensorengine.outage;

import com.google.protobuf.ByteString;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Propeller's side of an outage: a steady mix of GetTask (most calls), CreateTask and DeleteTask from several threads,
 * each call with propeller's deadline, a failed create or delete retried later as propeller does. It counts how
 * every call ended and which sensors went missing.
 *
 * <p>A sensor is lost when, after its create succeeded, a get answers anything but RUNNING (its file never exists
 * while the load runs) or a repeated create of the same attempt answers other bytes (a second sensor, with its
 * own clock). A failed call is fine only as UNAVAILABLE or DEADLINE_EXCEEDED and within its deadline.
 */
final class SensorLoad implements AutoCloseable {

    /** Propeller's {@code defaultTimeout}. */
    static final Duration DEADLINE = Duration.ofSeconds(10);
    /** How late past its deadline a failed call may come back (scheduling on a busy 2-core machine). */
    static final Duration LATENESS = Duration.ofSeconds(1);

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();
    private static final int MAX_NEW_CREATES = 25;
    private static final int MAX_DELETES = 10;

    /** One sensor task execution attempt and, once a create has answered, its resource_meta. */
    record Sensor(String node, CreateTaskRequest request, ByteString meta) {}

    private final AsyncAgentServiceBlockingStub agent;
    private final Path root;
    private final String execution;
    private final boolean repeatCreates;
    private final List<Sensor> live = new CopyOnWriteArrayList<>();
    private final Queue<Sensor> pendingCreates = new ConcurrentLinkedQueue<>();
    private final Queue<Sensor> pendingDeletes = new ConcurrentLinkedQueue<>();
    private final List<Sensor> deleted = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextNode = new AtomicInteger();
    private final AtomicInteger newCreates = new AtomicInteger();
    private final AtomicInteger deletes = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong recovered = new AtomicLong();
    private final Map<Status.Code, AtomicLong> failed = new ConcurrentHashMap<>();
    private final List<String> wrongFailures = new CopyOnWriteArrayList<>();
    private final AtomicLong slowestFailureMillis = new AtomicLong();
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    /** Nanos at which Temporal came back; calls succeeding after it are the recovered ones. */
    private volatile long restoredAt = Long.MAX_VALUE;

    private volatile long firstRecoveredAt = Long.MAX_VALUE;

    /**
     * @param repeatCreates also repeat creates that succeeded (a response propeller lost) and check they answer the
     *     same bytes; only meaningful while Temporal keeps its state
     */
    SensorLoad(Channel channel, Path root, String execution, boolean repeatCreates) {
        this.agent = AsyncAgentServiceGrpc.newBlockingStub(channel);
        this.root = root;
        this.execution = execution;
        this.repeatCreates = repeatCreates;
    }

    /** Creates {@code count} sensors before the load starts, retrying none: Temporal is up. */
    void createSensors(int count) {
        for (int i = 0; i < count; i++) {
            Sensor sensor = newSensor();
            live.add(new Sensor(
                    sensor.node(),
                    sensor.request(),
                    agent.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                            .createTask(sensor.request())
                            .getResourceMeta()));
        }
    }

    void start(int threadCount) {
        running = true;
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(this::run, "load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops the load and waits for the calls in flight, which end within their deadlines. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(DEADLINE.plus(LATENESS).toMillis());
        }
    }

    /** Temporal is back from now on. */
    void restored() {
        restoredAt = System.nanoTime();
    }

    private void run() {
        while (running) {
            double dice = ThreadLocalRandom.current().nextDouble();
            if (dice < 0.05) {
                create();
            } else if (dice < 0.08) {
                delete();
            } else if (dice < 0.10 && repeatCreates) {
                repeatCreate();
            } else {
                get(pick());
            }
        }
    }

    /** A new sensor, or one whose create failed before: propeller keeps asking until it gets the meta. */
    private void create() {
        Sensor sensor = pendingCreates.poll();
        if (sensor == null) {
            if (newCreates.incrementAndGet() > MAX_NEW_CREATES) {
                return;
            }
            sensor = newSensor();
        }
        Sensor attempt = sensor;
        call(stub -> stub.createTask(attempt.request()).getResourceMeta())
                .ifPresentOrElse(
                        meta -> live.add(new Sensor(attempt.node(), attempt.request(), meta)),
                        () -> pendingCreates.add(attempt));
    }

    private void repeatCreate() {
        Sensor sensor = pick();
        call(stub -> stub.createTask(sensor.request()).getResourceMeta()).ifPresent(meta -> {
            if (!meta.equals(sensor.meta())) {
                lost.add(sensor.node() + ": created twice, the repeated create answered other resource_meta");
            }
        });
    }

    private void delete() {
        Sensor sensor = pendingDeletes.poll();
        if (sensor == null) {
            if (deletes.incrementAndGet() > MAX_DELETES) {
                return;
            }
            sensor = pick();
            // Propeller stops asking for a sensor's status once it deletes it.
            if (!live.remove(sensor)) {
                return;
            }
        }
        Sensor target = sensor;
        call(stub -> stub.deleteTask(DeleteTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(target.meta())
                        .build()))
                .ifPresentOrElse(done -> deleted.add(target), () -> pendingDeletes.add(target));
    }

    private void get(Sensor sensor) {
        call(stub -> resource(stub, sensor)).ifPresent(resource -> {
            if (resource.getPhase() != Phase.RUNNING) {
                lost.add(sensor.node() + ": " + resource.getPhase() + " " + resource.getMessage());
            }
        });
    }

    /** Retries what failed (creates, deletes) until each succeeds, as propeller would; true once none is left. */
    boolean settlePending() {
        for (int i = pendingCreates.size(); i > 0; i--) {
            create();
        }
        for (int i = pendingDeletes.size(); i > 0; i--) {
            delete();
        }
        return pendingCreates.isEmpty() && pendingDeletes.isEmpty();
    }

    /** The sensor's status now, with propeller's deadline. */
    Resource resource(Sensor sensor) {
        return resource(agent.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), sensor);
    }

    private static Resource resource(AsyncAgentServiceBlockingStub stub, Sensor sensor) {
        return stub.getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(sensor.meta())
                        .build())
                .getResource();
    }

    private <T> Optional<T> call(Function<AsyncAgentServiceBlockingStub, T> rpc) {
        long start = System.nanoTime();
        calls.incrementAndGet();
        try {
            T answer = rpc.apply(agent.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            succeeded.incrementAndGet();
            if (start > restoredAt) {
                recovered.incrementAndGet();
                firstRecoveredAt = Math.min(firstRecoveredAt, System.nanoTime());
            }
            return Optional.of(answer);
        } catch (StatusRuntimeException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            slowestFailureMillis.accumulateAndGet(took.toMillis(), Math::max);
            Status.Code code = e.getStatus().getCode();
            failed.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
            boolean retryable = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
            if (!retryable || took.compareTo(DEADLINE.plus(LATENESS)) > 0) {
                wrongFailures.add(code + " after " + took.toMillis() + " ms: "
                        + e.getStatus().getDescription());
            }
            return Optional.empty();
        }
    }

    private Sensor newSensor() {
        String node = "n" + nextNode.getAndIncrement();
        return new Sensor(
                node,
                FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                        "p",
                        "d",
                        execution,
                        node,
                        0,
                        "flytekit.sensor.file_sensor",
                        "FileSensor",
                        Map.of(),
                        Map.of("path", file(node).toString()),
                        Optional.empty())),
                ByteString.EMPTY);
    }

    private Sensor pick() {
        List<Sensor> now = List.copyOf(live);
        return now.get(ThreadLocalRandom.current().nextInt(now.size()));
    }

    /** The file sensor {@code node} waits for. */
    Path file(String node) {
        return root.resolve(node + ".ready");
    }

    List<Sensor> live() {
        return List.copyOf(live);
    }

    List<Sensor> deleted() {
        return List.copyOf(deleted);
    }

    long calls() {
        return calls.get();
    }

    long succeeded() {
        return succeeded.get();
    }

    long failedCalls() {
        return failed.values().stream().mapToLong(AtomicLong::get).sum();
    }

    Map<Status.Code, Long> failedByCode() {
        Map<Status.Code, Long> copy = new TreeMap<>();
        failed.forEach((code, count) -> copy.put(code, count.get()));
        return copy;
    }

    /** How long the slowest failed call took to come back. */
    long slowestFailureMillis() {
        return slowestFailureMillis.get();
    }

    long recoveredCalls() {
        return recovered.get();
    }

    /** From Temporal's return to the first call that succeeded again. */
    Optional<Duration> timeToRecover() {
        long first = firstRecoveredAt;
        return first == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(first - restoredAt));
    }

    List<String> wrongFailures() {
        return List.copyOf(wrongFailures);
    }

    Set<String> lost() {
        return Set.copyOf(lost);
    }
}
