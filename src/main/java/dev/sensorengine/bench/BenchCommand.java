package dev.sensorengine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sensorengine.bench.BenchSide.BenchSensor;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.runtime.DurationConverter;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.workflow.Json;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.Counter;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code sensor-engine bench}: the service beside raw Temporal doing the same work on the same server. create and
 * get in rounds whose side order alternates, so drift on a noisy machine shows; capacity and detection with N live
 * sensors per side; and a mixed load at a fixed rate. Prints Markdown tables and writes every figure as JSON.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure the service against raw Temporal doing the same work: create, get, capacity, "
                + "detection, and a mixed load.")
public final class BenchCommand implements Callable<Integer> {

    private static final Set<String> PHASES = Set.of("create", "get", "capacity", "detection", "load");
    private static final String NAMESPACE = "default";
    private static final String TASK_QUEUE = "flyte-sensors";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--sensors",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Sensors per side: created per round, and held live in capacity (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = "10",
            description = "Concurrent callers, as propeller's workers (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Poke interval of the benchmark's sensors (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "Measuring window of the capacity phase and length of the load phase "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            defaultValue = "2",
            description = "Measured rounds of create and get (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--load-rate",
            paramLabel = "CALLS_PER_SECOND",
            defaultValue = "50",
            description = "Calls per second of the load phase; propeller's default is 10 (default: ${DEFAULT-VALUE}).")
    double loadRate;

    @Option(
            names = "--phases",
            paramLabel = "LIST",
            split = ",",
            defaultValue = "create,get,capacity,detection,load",
            description = "Phases to run: create, get, capacity, detection, load (default: ${DEFAULT-VALUE}).")
    List<String> phases;

    @Option(
            names = "--target",
            paramLabel = "HOST:PORT",
            description =
                    "A running service to measure instead of one started in this process "
                            + "(create, get and load only: capacity and detection read this process's CPU and flip local files).")
    String target;

    @Option(
            names = "--temporal-target",
            paramLabel = "HOST:PORT",
            description = "The Temporal frontend of --target, for the raw baseline.")
    String temporalTarget;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            defaultValue = "bench.json",
            description = "Where to write every figure as JSON (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        check();
        Path root = Files.createTempDirectory("sensor-bench");
        SensorEngineService service = target == null ? startService(root) : null;
        String grpc = target != null ? target : "127.0.0.1:" + service.grpcPort();
        String temporal = temporalTarget != null ? temporalTarget : service.temporalTarget();
        ManagedChannel channel =
                NettyChannelBuilder.forTarget(grpc).usePlaintext().build();
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(temporal).build());
        WorkflowClient raw = WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(NAMESPACE)
                        .setDataConverter(Json.dataConverter())
                        .build());
        try {
            Report report = new Report(machine(), options(), interval);
            BenchSide serviceSide =
                    new ServiceSide(AsyncAgentServiceGrpc.newBlockingStub(channel), stubs, NAMESPACE, interval);
            BenchSide rawSide = new RawSide(raw, TASK_QUEUE, interval);
            // Capacity first, on a fresh server: its heap figure is the sensors', not earlier phases' leftovers.
            if (service != null && (phases.contains("capacity") || phases.contains("detection"))) {
                for (BenchSide side : List.of(serviceSide, rawSide)) {
                    livePhases(side, root, pokes(service), report);
                }
            }
            if (phases.contains("create") || phases.contains("get")) {
                // The API alone: with the worker paused, neither side is charged for the pokes of sensors it made.
                pauseWorker(service, true);
                callPhases(serviceSide, rawSide, root, report);
                pauseWorker(service, false);
            }
            if (phases.contains("load")) {
                report.add(new LoadPhase(serviceSide, root, concurrency).run(loadRate, duration));
            }
            spec.commandLine().getOut().println(report.markdown());
            spec.commandLine().getOut().flush();
            new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(out.toFile(), report.json());
            System.err.println("figures written to " + out.toAbsolutePath());
            return report.errors() == 0 ? 0 : 1;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            stubs.shutdownNow();
            if (service != null) {
                service.close();
            }
        }
    }

    private void check() {
        if ((target == null) != (temporalTarget == null)) {
            throw new ParameterException(spec.commandLine(), "--target and --temporal-target go together");
        }
        for (String phase : phases) {
            if (!PHASES.contains(phase)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--phases: unknown phase '" + phase + "'; choose from create, get, capacity, detection, load");
            }
        }
        if (sensors < 1 || concurrency < 1 || rounds < 1 || loadRate <= 0) {
            throw new ParameterException(
                    spec.commandLine(), "--sensors, --concurrency, --rounds and --load-rate must be positive");
        }
        if (target != null && (phases.contains("capacity") || phases.contains("detection"))) {
            System.err.println("capacity and detection need the service in this process; skipped with --target");
        }
    }

    /** create and get, service and raw, in rounds whose side order alternates; each round's sensors cleared after. */
    private void callPhases(BenchSide service, BenchSide raw, Path root, Report report) throws InterruptedException {
        int warmUp = Math.max(1, sensors / 10);
        for (BenchSide side : List.of(service, raw)) {
            BenchSensor[] warm = new BenchSensor[warmUp];
            Workload.run(
                    "warm-up " + side.name(),
                    warmUp,
                    concurrency,
                    i -> warm[i] = side.create("warm", i, root.resolve("never-warm-" + i)));
            discard(side, warm);
        }
        for (int round = 1; round <= rounds; round++) {
            String tag = "r" + round;
            List<BenchSide> order = round % 2 == 1 ? List.of(service, raw) : List.of(raw, service);
            Map<BenchSide, BenchSensor[]> created = new LinkedHashMap<>();
            for (BenchSide side : order) {
                BenchSensor[] made = new BenchSensor[sensors];
                report.add(
                        "create",
                        side.name(),
                        round,
                        Workload.run(
                                "create " + side.name() + " " + tag,
                                sensors,
                                concurrency,
                                i -> made[i] = side.create(tag, i, root.resolve("never-" + tag + "-" + i))));
                created.put(side, made);
            }
            if (phases.contains("get")) {
                for (BenchSide side : order) {
                    BenchSensor[] made = created.get(side);
                    report.add(
                            "get",
                            side.name(),
                            round,
                            Workload.run(
                                    "get " + side.name() + " " + tag,
                                    sensors,
                                    concurrency,
                                    i -> side.observe(made[i])));
                }
            }
            for (BenchSide side : order) {
                discard(side, created.get(side));
            }
        }
    }

    private void livePhases(BenchSide side, Path root, LongSupplier pokes, Report report) throws Exception {
        Path dir = Files.createDirectories(root.resolve("capacity"));
        CapacityPhase phase = new CapacityPhase(side, dir, sensors, concurrency, interval, pokes);
        phase.populate();
        if (phases.contains("capacity")) {
            report.add(phase.measure(duration));
        }
        if (phases.contains("detection")) {
            report.add(phase.detect());
        }
        phase.discardUndetected();
    }

    /** Ends a finished round's sensors so they do not poke through the next measurements. */
    private void discard(BenchSide side, BenchSensor[] made) throws InterruptedException {
        Workload.run("clear " + side.name(), made.length, concurrency, i -> {
            if (made[i] != null) {
                side.discard(made[i]);
            }
        });
    }

    private static void pauseWorker(SensorEngineService service, boolean paused) {
        if (service != null) {
            service.pauseWorker(paused);
        }
    }

    /** Pokes so far, from the service's own metrics (every sensor, every result). */
    private static LongSupplier pokes(SensorEngineService service) {
        return () -> (long) service.metrics().find("sensor.pokes").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private SensorEngineService startService(Path root) throws IOException {
        return SensorEngineService.start(ServiceConfig.inProcess(TASK_QUEUE)
                .pokeIntervals(interval, interval.multipliedBy(10))
                .defaultTimeout(Duration.ofDays(7))
                .fileRoots(List.of(root))
                .build());
    }

    private Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("sensors", sensors);
        options.put("concurrency", concurrency);
        options.put("interval", interval.toString());
        options.put("duration", duration.toString());
        options.put("rounds", rounds);
        options.put("load_rate", loadRate);
        options.put("phases", phases);
        options.put("target", target == null ? "in-process (embedded Temporal)" : target);
        return options;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return machine;
    }
}
