package dev.sensorengine.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.sensorengine.bench.BenchSide.BenchSensor;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.runtime.DurationConverter;
import dev.sensorengine.runtime.TemporalCli;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code sensor-engine bench}: the service beside raw Temporal and beside flytekit's own connector, doing the same
 * FileSensor work in one run. By default in the production shape: the Temporal dev server, the service's API and
 * its worker, and flytekit's connector, each in a process of its own, with the CPU and memory of each read from
 * {@code /proc}. Phases: capacity and detection (live sensors), create and get (in rounds whose side order
 * alternates), cost (CPU per call, issue 17), load (a mixed rate), propeller (propeller's rhythm: operations on the
 * watched system per sensor-hour, issue 12). Prints Markdown tables and writes every figure as JSON.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure the service against raw Temporal and flytekit's own connector doing the same work: "
                + "capacity, detection, create, get, cost, load and propeller's rhythm.")
public final class BenchCommand implements Callable<Integer> {

    static final List<String> PHASES =
            List.of("capacity", "detection", "create", "get", "cost", "load", "propeller", "events");
    private static final Set<String> SIDES = Set.of(Report.SERVICE, Report.RAW, Report.FLYTEKIT);
    private static final String LOCAL = "local";
    private static final String IN_MEMORY = "in-memory";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--sensors",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Sensors per side: created per round, held live in capacity and at propeller's rhythm, "
                    + "created in cost (default: ${DEFAULT-VALUE}).")
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
            description = "Poke interval of the sensors of capacity, detection, create, get, cost and load "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "Measuring window of capacity, length of load, and shortest window of propeller's rhythm "
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
            names = "--cost-calls",
            paramLabel = "N",
            defaultValue = "20000",
            description = "GetTask calls (and raw describes) of the cost phase, spread over its --sensors sensors "
                    + "(default: ${DEFAULT-VALUE}).")
    int costCalls;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Objects that appear in the events phase, each announced by one event, spread over its "
                    + "--sensors hourly sensors (at most --sensors; default: ${DEFAULT-VALUE}).")
    int events;

    @Option(
            names = "--propeller-period",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How often propeller reads each sensor with GetTask (its cache resync) "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration propellerPeriod;

    @Option(
            names = "--propeller-intervals",
            paramLabel = "LIST",
            split = ",",
            defaultValue = "30s,5m",
            converter = DurationConverter.class,
            description = "The service's poke intervals at propeller's rhythm, one run each (default: "
                    + "${DEFAULT-VALUE}).")
    List<Duration> propellerIntervals;

    @Option(
            names = "--phases",
            paramLabel = "LIST",
            split = ",",
            defaultValue = "capacity,detection,create,get,cost,load,propeller,events",
            description = "Phases to run (default: ${DEFAULT-VALUE}).")
    List<String> phases;

    @Option(
            names = "--sides",
            paramLabel = "LIST",
            split = ",",
            defaultValue = "service,raw,flytekit",
            description = "Sides to measure: service, raw (Temporal alone), flytekit (its own connector) "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> sides;

    @Option(
            names = "--temporal-target",
            paramLabel = "TARGET",
            defaultValue = LOCAL,
            description = "'local': the Temporal CLI's dev server (SQLite) in a process of its own, started here; "
                    + "'in-memory': the in-memory server and the service inside this JVM (the old shape); or "
                    + "host:port of a running Temporal (default: ${DEFAULT-VALUE}).")
    String temporalTarget;

    @Option(
            names = "--temporal-cli",
            paramLabel = "PATH",
            description = "The Temporal CLI for 'local'; by default found as serve finds it (PATH, then "
                    + ".tools/venv/bin/temporal).")
    Path temporalCli;

    @Option(
            names = "--temporal-pid",
            paramLabel = "PID",
            description = "Process id of the Temporal given with --temporal-target host:port, to read its CPU.")
    Long temporalPid;

    @Option(
            names = "--target",
            paramLabel = "HOST:PORT",
            description = "A running service to measure instead of the processes started here (with "
                    + "--temporal-target host:port; create, get, load and propeller only, without CPU figures).")
    String target;

    @Option(
            names = "--peer",
            paramLabel = "HOST:PORT",
            description = "A running flytekit connector, instead of the one started here.")
    String peer;

    @Option(
            names = "--peer-pid",
            paramLabel = "PID",
            description = "Process id of the --peer connector, to read its CPU and memory.")
    Long peerPid;

    @Option(
            names = "--pyflyte",
            paramLabel = "PATH",
            description = "flytekit's pyflyte, to start its connector; by default .tools/venv/bin/pyflyte as "
                    + "scripts/tools.sh installs it, then PATH.")
    Path pyflyte;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Where the dev server's database and the processes' logs go; kept. By default a new "
                    + "temporary directory, removed at the end.")
    Path workDir;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            defaultValue = "bench.json",
            description = "Where to write every figure as JSON (default: ${DEFAULT-VALUE}).")
    Path out;

    /** Tells this run's sensors from those of earlier runs on the same Temporal. */
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    @Override
    public Integer call() throws Exception {
        Workload.elapsedSeconds(); // the clock of the progress lines starts now
        check();
        Path pyflytePath = sides.contains(Report.FLYTEKIT) && peer == null ? findPyflyte() : null;
        Path cli = target == null && temporalTarget.equals(LOCAL) ? findTemporalCli() : null;
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("sensor-bench");
        Map<String, Object> machine = machine();
        // flytekit's connector starts while the service does; each takes a few seconds.
        CompletableFuture<ChildProcess> connector = pyflytePath == null
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> {
                    try {
                        return Deployment.startConnector(pyflytePath, work);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        try (WatchedServer watched = new WatchedServer();
                Deployment deployment = deploy(cli, work, connector)) {
            // Interrupted (Ctrl-C, SIGTERM), the processes started here stop too; they would outlive this JVM.
            Thread stop = new Thread(deployment::close, "bench-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            try {
                return measure(deployment, watched, machine);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stop);
                } catch (IllegalStateException e) {
                    // Already shutting down: the hook stops them.
                }
            }
        } finally {
            if (workDir == null) {
                deleteTree(work);
            } else {
                System.err.println("logs and the dev server's database are in " + work.toAbsolutePath());
            }
        }
    }

    /** Runs the phases on a deployment that is up, prints the tables and writes the JSON; the exit code. */
    private int measure(Deployment deployment, WatchedServer watched, Map<String, Object> machine) throws Exception {
        if (peer != null && sides.contains(Report.FLYTEKIT)) {
            deployment.usePeer(peer, Optional.ofNullable(peerPid));
        }
        System.err.printf(
                "%s; started in %d s%n  %s%n",
                deployment.shape(),
                Workload.elapsedSeconds(),
                deployment.description().entrySet().stream()
                        .skip(1)
                        .map(e -> e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining("\n  ")));
        Report report = new Report(machine, options(), deployment.description(), interval, propellerPeriod);
        runPhases(deployment, watched, report);
        for (MeasuredProcess p : Deployment.of(
                List.of(deployment.api(), deployment.worker(), deployment.temporal(), deployment.peer()))) {
            report.rssAtEnd(p.name(), p.rssMib());
        }
        machine.put("load_average_at_end", loadAverage());
        spec.commandLine().getOut().println(report.markdown());
        spec.commandLine().getOut().flush();
        mapper().writeValue(out.toFile(), report.json());
        System.err.println("figures written to " + out.toAbsolutePath());
        return report.errors(Report.SERVICE) + report.errors(Report.RAW) == 0 ? 0 : 1;
    }

    /** The deployment, with flytekit's connector once it has started (stopped with the rest if anything fails). */
    private Deployment deploy(Path cli, Path work, CompletableFuture<ChildProcess> connector) throws IOException {
        Deployment deployment;
        try {
            deployment = deploy(cli, work);
        } catch (IOException | RuntimeException e) {
            connector.thenAccept(c -> {
                if (c != null) {
                    c.close();
                }
            });
            throw e;
        }
        try {
            ChildProcess started = connector.join();
            if (started != null) {
                deployment.adoptPeer(started);
            }
            return deployment;
        } catch (CompletionException e) {
            deployment.close();
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    private Deployment deploy(Path cli, Path work) throws IOException {
        if (target != null) {
            return Deployment.external(target, temporalTarget);
        }
        if (temporalTarget.equals(IN_MEMORY)) {
            return Deployment.inProcess(interval);
        }
        return Deployment.production(
                Optional.ofNullable(cli),
                temporalTarget.equals(LOCAL) ? Optional.empty() : Optional.of(temporalTarget),
                Optional.ofNullable(temporalPid),
                interval,
                work);
    }

    private void runPhases(Deployment deployment, WatchedServer watched, Report report) throws Exception {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(deployment.temporalTarget())
                .build());
        ManagedChannel serviceChannel = NettyChannelBuilder.forTarget(deployment.serviceTarget())
                .usePlaintext()
                .build();
        Optional<ManagedChannel> peerChannel = deployment
                .peerTarget()
                .map(t -> NettyChannelBuilder.forTarget(t).usePlaintext().build());
        try {
            Sides all = new Sides(deployment, stubs, serviceChannel, peerChannel);
            // In this JVM the in-memory server keeps every workflow of the run: capacity goes first, on a fresh
            // server, so its heap figure is the sensors' and not earlier phases' leftovers. Elsewhere the phases
            // without pokes go first, so the worker starts once.
            if (deployment.inProcess()) {
                livePhases(all, deployment, watched, report);
            }
            if (phases.contains("create") || phases.contains("get")) {
                // The API alone: with the worker stopped, no side is charged for the pokes of sensors it made.
                deployment.workers(false);
                callPhases(all.callers(interval), deployment, watched, report);
            }
            if (phases.contains("cost")) {
                if (deployment.processesApart()) {
                    deployment.workers(false);
                    CostPhase cost = new CostPhase(
                            watched,
                            group("cost"),
                            concurrency,
                            deployment.api().orElseThrow(),
                            deployment.temporal().orElseThrow());
                    cost.run(all.service(interval), all.raw(interval), sensors, costCalls)
                            .forEach(report::add);
                } else {
                    report.note("cost needs the service's API and Temporal in processes of their own, on this "
                            + "machine (the production shape; with --temporal-target host:port also --temporal-pid); "
                            + "skipped");
                }
            }
            if (!deployment.inProcess()) {
                livePhases(all, deployment, watched, report);
            }
            if (phases.contains("events") && sides.contains(Report.SERVICE)) {
                eventsPhase(all, deployment, watched, report);
            }
            if (phases.contains("load") && sides.contains(Report.SERVICE)) {
                deployment.workers(true);
                report.add(new LoadPhase(
                                all.service(interval),
                                watched,
                                group("load"),
                                concurrency,
                                Deployment.of(List.of(deployment.api(), deployment.worker(), deployment.temporal())))
                        .run(loadRate, duration, sensors));
            }
            if (phases.contains("propeller")) {
                deployment.workers(true);
                propellerPhase(all, deployment, watched, report);
            }
        } finally {
            serviceChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            peerChannel.ifPresent(ManagedChannel::shutdownNow);
            stubs.shutdownNow();
        }
    }

    /** The sides of this run, built for a poke interval. */
    private final class Sides {
        private final Deployment deployment;
        private final WorkflowServiceStubs stubs;
        private final ManagedChannel serviceChannel;
        private final Optional<ManagedChannel> peerChannel;

        Sides(
                Deployment deployment,
                WorkflowServiceStubs stubs,
                ManagedChannel serviceChannel,
                Optional<ManagedChannel> peerChannel) {
            this.deployment = deployment;
            this.stubs = stubs;
            this.serviceChannel = serviceChannel;
            this.peerChannel = peerChannel;
        }

        BenchSide service(Duration every) {
            return ConnectorSide.service(
                    AsyncAgentServiceGrpc.newBlockingStub(serviceChannel), stubs, Deployment.NAMESPACE, every);
        }

        BenchSide raw(Duration every) {
            return new RawSide(
                    stubs, Deployment.NAMESPACE, Deployment.TASK_QUEUE, every, deployment.searchAttributes());
        }

        Optional<BenchSide> flytekit(Duration every) {
            return peerChannel.map(c -> ConnectorSide.flytekit(AsyncAgentServiceGrpc.newBlockingStub(c), every));
        }

        /** The sides whose sensors the worker pokes: the service and raw. */
        List<BenchSide> pokers(Duration every) {
            List<BenchSide> list = new ArrayList<>();
            if (sides.contains(Report.SERVICE)) {
                list.add(service(every));
            }
            if (sides.contains(Report.RAW)) {
                list.add(raw(every));
            }
            return list;
        }

        /** Every side, in the order of an odd round. */
        List<BenchSide> callers(Duration every) {
            List<BenchSide> list = pokers(every);
            flytekit(every).ifPresent(list::add);
            return list;
        }
    }

    /** The processes that do a side's calls: the service's API and Temporal, Temporal alone, flytekit's connector. */
    private static List<MeasuredProcess> callProcesses(BenchSide side, Deployment deployment) {
        return switch (side.name()) {
            case Report.SERVICE -> Deployment.of(List.of(deployment.api(), deployment.temporal()));
            case Report.RAW -> Deployment.of(List.of(deployment.temporal()));
            default -> Deployment.of(List.of(deployment.peer()));
        };
    }

    /** create and get on every side, in rounds whose side order alternates; each round's sensors cleared after. */
    private void callPhases(List<BenchSide> all, Deployment deployment, WatchedServer watched, Report report)
            throws InterruptedException {
        int warmUp = Math.max(1, sensors / 10);
        for (BenchSide side : all) {
            BenchSensor[] warm = new BenchSensor[warmUp];
            String group = group("warm-" + side.name());
            Workload.run(
                    "warm-up " + side.name(),
                    warmUp,
                    concurrency,
                    i -> warm[i] = side.create(group, i, watched.url(group, Integer.toString(i))));
            Workload.run("warm-up get " + side.name(), warmUp, concurrency, i -> side.observe(warm[i]));
            discard(side, warm);
        }
        for (int round = 1; round <= rounds; round++) {
            String tag = "r" + round;
            List<BenchSide> order = new ArrayList<>(all);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            Map<BenchSide, BenchSensor[]> created = new LinkedHashMap<>();
            for (BenchSide side : order) {
                BenchSensor[] made = new BenchSensor[sensors];
                String group = group(side.name() + "-r" + round);
                report.add(measured(
                        "create",
                        side,
                        round,
                        deployment,
                        watched,
                        group,
                        () -> Workload.run(
                                "create " + side.name() + " " + tag,
                                sensors,
                                concurrency,
                                i -> made[i] = side.create(group, i, watched.url(group, Integer.toString(i))))));
                created.put(side, made);
            }
            if (phases.contains("get")) {
                for (BenchSide side : order) {
                    BenchSensor[] made = created.get(side);
                    report.add(measured(
                            "get",
                            side,
                            round,
                            deployment,
                            watched,
                            group(side.name() + "-r" + round),
                            () -> Workload.run(
                                    "get " + side.name() + " " + tag,
                                    sensors,
                                    concurrency,
                                    i -> side.observe(made[i]))));
                }
            }
            for (BenchSide side : order) {
                discard(side, created.get(side));
            }
        }
    }

    private interface Timed {
        Latencies.Summary run() throws InterruptedException;
    }

    private static Report.CallRow measured(
            String phase,
            BenchSide side,
            int round,
            Deployment deployment,
            WatchedServer watched,
            String group,
            Timed calls)
            throws InterruptedException {
        long operations = watched.requests(group);
        Cpu.Meter meter = Cpu.start(callProcesses(side, deployment));
        Latencies.Summary summary = calls.run();
        Cpu cpu = meter.stop();
        return new Report.CallRow(
                phase,
                side.name(),
                round,
                summary,
                cpu.seconds(),
                cpu.millisPer(summary.calls()),
                watched.requests(group) - operations);
    }

    /** Wake on events (issue 16): hourly sensors woken by events pushed to the service's endpoint. */
    private void eventsPhase(Sides all, Deployment deployment, WatchedServer watched, Report report)
            throws InterruptedException, IOException {
        Optional<Deployment.EventsEndpoint> endpoint = deployment.events();
        if (endpoint.isEmpty()) {
            report.note("events needs the service's API in a process of its own with its push endpoint (the "
                    + "production shape); skipped");
            return;
        }
        deployment.workers(true);
        report.add(new EventsPhase(watched, group("events"), concurrency, endpoint.get())
                .run(all.service(Duration.ofHours(1)), sensors, Math.min(events, sensors)));
    }

    /** capacity and detection, for the sides whose sensors the worker pokes. */
    private void livePhases(Sides all, Deployment deployment, WatchedServer watched, Report report) throws Exception {
        if (!phases.contains("capacity") && !phases.contains("detection")) {
            return;
        }
        if (deployment.api().isEmpty()) {
            report.note("capacity and detection need the service's processes on this machine; skipped with --target");
            return;
        }
        deployment.workers(true);
        for (BenchSide side : all.pokers(interval)) {
            CapacityPhase phase = new CapacityPhase(
                    side,
                    watched,
                    group("cap-" + side.name()),
                    sensors,
                    concurrency,
                    interval,
                    () -> Deployment.of(List.of(deployment.worker(), deployment.temporal())),
                    deployment::worker);
            phase.populate();
            if (phases.contains("capacity")) {
                report.add(phase.measure(duration));
            }
            if (phases.contains("detection")) {
                report.add(phase.detect());
            }
            phase.discardUndetected();
        }
    }

    /**
     * Sensors at propeller's rhythm: the service at each of its poke intervals, then flytekit's connector. Raw
     * Temporal has no GetTask and pokes as the service does, so it sits this phase out.
     */
    private void propellerPhase(Sides all, Deployment deployment, WatchedServer watched, Report report)
            throws InterruptedException {
        PropellerPhase phase = new PropellerPhase(watched, concurrency);
        if (sides.contains(Report.SERVICE)) {
            for (Duration every : propellerIntervals) {
                Duration unit = every.compareTo(propellerPeriod) > 0 ? every : propellerPeriod;
                report.add(phase.run(
                        all.service(every),
                        Optional.of(every),
                        group("prop-service-" + text(every)),
                        sensors,
                        propellerPeriod,
                        wholeUnits(
                                Stream.of(duration, every, propellerPeriod)
                                        .max(Comparator.naturalOrder())
                                        .orElseThrow(),
                                unit),
                        Deployment.of(List.of(deployment.api(), deployment.worker(), deployment.temporal()))));
            }
        }
        Optional<BenchSide> flytekit = all.flytekit(propellerPeriod);
        if (flytekit.isPresent()) {
            report.add(phase.run(
                    flytekit.get(),
                    Optional.empty(),
                    group("prop-flytekit"),
                    sensors,
                    propellerPeriod,
                    wholeUnits(duration.compareTo(propellerPeriod) > 0 ? duration : propellerPeriod, propellerPeriod),
                    Deployment.of(List.of(deployment.peer()))));
        }
    }

    /** {@code length} rounded up to a whole number of {@code unit}s. */
    private static Duration wholeUnits(Duration length, Duration unit) {
        long units = (length.toMillis() + unit.toMillis() - 1) / unit.toMillis();
        return unit.multipliedBy(Math.max(1, units));
    }

    /** Ends a finished round's sensors so they do not poke through the next measurements. */
    private void discard(BenchSide side, BenchSensor[] made) throws InterruptedException {
        Workload.discard("clear " + side.name(), side, made, concurrency);
    }

    /** A group of the watched system and tag of workflow ids, unique to this run. */
    private String group(String what) {
        return run + "-" + what;
    }

    private void check() {
        for (String phase : phases) {
            if (!PHASES.contains(phase)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--phases: unknown phase '" + phase + "'; choose from " + String.join(", ", PHASES));
            }
        }
        for (String side : sides) {
            if (!SIDES.contains(side)) {
                throw new ParameterException(
                        spec.commandLine(), "--sides: unknown side '" + side + "'; choose from service, raw, flytekit");
            }
        }
        if (sensors < 1 || concurrency < 1 || rounds < 1 || loadRate <= 0 || costCalls < 1 || events < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--sensors, --concurrency, --rounds, --load-rate, --cost-calls and --events must be positive");
        }
        if (interval.isZero()
                || propellerPeriod.isZero()
                || propellerIntervals.stream().anyMatch(Duration::isZero)) {
            throw new ParameterException(
                    spec.commandLine(), "--interval, --propeller-period and --propeller-intervals must be positive");
        }
        boolean address = !temporalTarget.equals(LOCAL) && !temporalTarget.equals(IN_MEMORY);
        if (target != null && !address) {
            throw new ParameterException(
                    spec.commandLine(), "--target needs the host:port of its Temporal as --temporal-target");
        }
    }

    private Path findTemporalCli() {
        Path here = Path.of("").toAbsolutePath();
        try {
            return TemporalCli.find(Optional.ofNullable(temporalCli), System::getenv, here, TemporalCli.jarDirectory())
                    .orElseThrow(() -> new ParameterException(
                            spec.commandLine(),
                            "no Temporal CLI for the dev server (looked in "
                                    + TemporalCli.candidates(System::getenv, here, TemporalCli.jarDirectory())
                                    + "); run scripts/tools.sh, give --temporal-cli PATH, or measure the old shape "
                                    + "with --temporal-target in-memory"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Path findPyflyte() {
        return Tools.pyflyte(Optional.ofNullable(pyflyte))
                .orElseThrow(() -> new ParameterException(
                        spec.commandLine(),
                        "no pyflyte for flytekit's connector (looked in "
                                + (pyflyte != null ? List.of(pyflyte) : Tools.candidates())
                                + "); run scripts/tools.sh, give --pyflyte PATH or --peer HOST:PORT, or leave "
                                + "flytekit out with --sides service,raw"));
    }

    /** A duration as the options take it: {@code 30s}, {@code 5m}, {@code 2h}, else ISO-8601. */
    static String text(Duration d) {
        long millis = d.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    static Duration duration(String text) {
        return new DurationConverter().convert(text);
    }

    private Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("sensors", sensors);
        options.put("concurrency", concurrency);
        options.put("interval", text(interval));
        options.put("duration", text(duration));
        options.put("rounds", rounds);
        options.put("events", events);
        options.put("load_rate", loadRate);
        options.put("cost_calls", costCalls);
        options.put("propeller_period", text(propellerPeriod));
        options.put(
                "propeller_intervals",
                propellerIntervals.stream().map(BenchCommand::text).toList());
        options.put("phases", phases);
        options.put("sides", sides);
        options.put("temporal_target", temporalTarget);
        options.put("target", target);
        options.put("peer", peer);
        return options;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        // A busy machine makes noisy figures: its load when the run began and ended says how busy.
        machine.put("load_average_at_start", loadAverage());
        return machine;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** snake_case names, indented, and NaN (a figure not measured) as null. */
    private static ObjectMapper mapper() {
        StdSerializer<Double> nanAsNull = new StdSerializer<>(Double.class) {
            @Override
            public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
                if (value.isNaN() || value.isInfinite()) {
                    out.writeNull();
                } else {
                    out.writeNumber(value);
                }
            }
        };
        return new ObjectMapper()
                .registerModule(new SimpleModule()
                        .addSerializer(Double.class, nanAsNull)
                        .addSerializer(double.class, nanAsNull))
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot remove " + root + ": " + e);
        }
    }
}
