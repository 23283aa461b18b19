package dev.sensorengine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.ByteString;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import dev.sensorengine.workflow.SensorWorkflow;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensor-engine bench}: the service's create and get beside raw Temporal doing the same work on the same
 * server (StartWorkflowExecution of the same sensor workflow; DescribeWorkflowExecution of the same workflows),
 * in alternating rounds so drift on a noisy machine shows. Prints a Markdown table and writes every figure as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the service's create and get against raw Temporal doing the same work.")
public final class BenchCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--sensors", paramLabel = "N", defaultValue = "10000",
            description = "Sensors created per side and round (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "10",
            description = "Concurrent callers, as propeller's workers (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "60s",
            converter = dev.sensorengine.runtime.DurationConverter.class,
            description = "Poke interval of the benchmark's sensors (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "2",
            description = "Measured rounds per phase, service and raw alternating (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--phases", paramLabel = "LIST", split = ",", defaultValue = "create,get",
            description = "Phases to run: create, get (default: ${DEFAULT-VALUE}).")
    List<String> phases;

    @Option(names = "--target", paramLabel = "HOST:PORT",
            description = "A running service to measure instead of one started in this process.")
    String target;

    @Option(names = "--temporal-target", paramLabel = "HOST:PORT",
            description = "The Temporal frontend of --target, for the raw baseline.")
    String temporalTarget;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench.json",
            description = "Where to write every figure as JSON (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if ((target == null) != (temporalTarget == null)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--target and --temporal-target go together");
        }
        Path root = Files.createTempDirectory("sensor-bench");
        SensorEngineService service = target == null ? startService(root) : null;
        String grpc = target != null ? target : "127.0.0.1:" + service.grpcPort();
        String temporal = temporalTarget != null ? temporalTarget : service.temporalTarget();
        ManagedChannel channel = NettyChannelBuilder.forTarget(grpc).usePlaintext().build();
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(temporal).build());
        WorkflowClient raw = WorkflowClient.newInstance(stubs,
                WorkflowClientOptions.newBuilder().setNamespace("default").setDataConverter(Json.dataConverter()).build());
        try {
            Report report = new Report(Instant.now(), machine(), options());
            Sides sides = new Sides(AsyncAgentServiceGrpc.newBlockingStub(channel), raw, root);
            int warmUp = Math.max(1, sensors / 10);
            // Warm-up: JIT, connections and the server's caches, on both sides, before anything is measured.
            Workload.run("warm-up service", warmUp, concurrency, i -> sides.createService("warm", i));
            Workload.run("warm-up raw", warmUp, concurrency, i -> sides.createRaw("warm", i));
            sides.reset();
            for (int round = 1; round <= rounds; round++) {
                String tag = "r" + round;
                if (phases.contains("create") || phases.contains("get")) {
                    report.add("create", "service", round, Workload.run("create service " + tag, sensors, concurrency,
                            i -> sides.createService(tag, i)));
                    report.add("create", "raw", round, Workload.run("create raw " + tag, sensors, concurrency,
                            i -> sides.createRaw(tag, i)));
                }
                if (phases.contains("get")) {
                    report.add("get", "service", round, Workload.run("get service " + tag, sensors, concurrency,
                            i -> sides.getService(i)));
                    report.add("get", "raw", round, Workload.run("get raw " + tag, sensors, concurrency,
                            i -> sides.describeRaw(i)));
                }
                sides.reset();
            }
            spec.commandLine().getOut().println(report.markdown());
            spec.commandLine().getOut().flush();
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report.json());
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

    private SensorEngineService startService(Path root) throws java.io.IOException {
        return SensorEngineService.start(ServiceConfig.inProcess("flyte-sensors")
                .pokeIntervals(interval, interval.multipliedBy(10)).defaultTimeout(Duration.ofDays(7))
                .fileRoots(List.of(root)).build());
    }

    private Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("sensors", sensors);
        options.put("concurrency", concurrency);
        options.put("interval", interval.toString());
        options.put("rounds", rounds);
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

    /** The two sides of each phase, doing the same work. */
    private final class Sides {
        private final AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent;
        private final WorkflowClient raw;
        private final Path root;
        private final List<ByteString> metas = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<String> rawIds = new java.util.concurrent.CopyOnWriteArrayList<>();

        Sides(AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agent, WorkflowClient raw, Path root) {
            this.agent = agent;
            this.raw = raw;
            this.root = root;
        }

        void createService(String tag, int i) {
            CreateTaskRequest request = FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task("bench", "development",
                    "svc-" + tag + "-" + i, "n0", 0, "flytekit.sensor.file_sensor", "FileSensor",
                    Map.of("poke_interval", interval.toMillis() / 1000.0), Map.of("path", root.resolve("never-" + i).toString()),
                    Optional.empty()));
            metas.add(agent.withDeadlineAfter(10, TimeUnit.SECONDS).createTask(request).getResourceMeta());
        }

        /** The fastest honest equivalent: StartWorkflowExecution of the same workflow with the same spec and policies. */
        void createRaw(String tag, int i) {
            String id = "bench-raw:" + tag + ":" + i;
            SensorSpec spec = new SensorSpec("flytekit.sensor.file_sensor", "FileSensor", Map.of(),
                    Map.of("path", root.resolve("never-raw-" + i).toString()),
                    new PokePolicy(interval, Backoff.FIXED, interval.multipliedBy(10), Duration.ofDays(7)),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS));
            raw.newUntypedWorkflowStub(SensorWorkflow.TYPE, WorkflowOptions.newBuilder()
                            .setWorkflowId(id).setTaskQueue("flyte-sensors")
                            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                            .build())
                    .start(spec);
            rawIds.add(id);
        }

        void getService(int i) {
            agent.withDeadlineAfter(10, TimeUnit.SECONDS).getTask(GetTaskRequest.newBuilder()
                    .setTaskCategory(TaskCategory.newBuilder().setName("sensor")).setResourceMeta(metas.get(i % metas.size()))
                    .build());
        }

        void describeRaw(int i) {
            raw.getWorkflowServiceStubs().blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(rawIds.get(i % rawIds.size())))
                            .build());
        }

        void reset() {
            metas.clear();
            rawIds.clear();
        }
    }

    /** Every figure of the run. */
    private static final class Report {
        private final Instant date;
        private final Map<String, Object> machine;
        private final Map<String, Object> options;
        private final List<Map<String, Object>> rows = new ArrayList<>();

        Report(Instant date, Map<String, Object> machine, Map<String, Object> options) {
            this.date = date;
            this.machine = machine;
            this.options = options;
        }

        void add(String phase, String side, int round, Latencies.Summary summary) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("phase", phase);
            row.put("side", side);
            row.put("round", round);
            row.put("summary", summary);
            rows.add(row);
        }

        long errors() {
            return rows.stream().mapToLong(r -> ((Latencies.Summary) r.get("summary")).errors()).sum();
        }

        /** Service over raw, per phase and round: throughput ratio and p99 ratio. */
        List<Map<String, Object>> ratios() {
            List<Map<String, Object>> ratios = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                if (!row.get("side").equals("service")) {
                    continue;
                }
                rows.stream().filter(r -> r.get("side").equals("raw") && r.get("phase").equals(row.get("phase"))
                        && r.get("round").equals(row.get("round"))).findFirst().ifPresent(rawRow -> {
                            Latencies.Summary svc = (Latencies.Summary) row.get("summary");
                            Latencies.Summary base = (Latencies.Summary) rawRow.get("summary");
                            Map<String, Object> ratio = new LinkedHashMap<>();
                            ratio.put("phase", row.get("phase"));
                            ratio.put("round", row.get("round"));
                            ratio.put("throughput_service_over_raw", svc.perSecond() / base.perSecond());
                            ratio.put("p99_service_over_raw", base.p99() == 0 ? 0 : svc.p99() / base.p99());
                            ratios.add(ratio);
                        });
            }
            return ratios;
        }

        String markdown() {
            StringBuilder table = new StringBuilder();
            table.append("| phase | side | round | calls | errors | calls/s | p50 ms | p99 ms | p999 ms | max ms |\n");
            table.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (Map<String, Object> row : rows) {
                Latencies.Summary s = (Latencies.Summary) row.get("summary");
                table.append(String.format(java.util.Locale.ROOT, "| %s | %s | %d | %d | %d | %.0f | %.2f | %.2f | %.2f | %.2f |%n",
                        row.get("phase"), row.get("side"), (Integer) row.get("round"), s.calls(), s.errors(), s.perSecond(),
                        s.p50(), s.p99(), s.p999(), s.max()));
            }
            table.append("\n| phase | round | throughput service/raw | p99 service/raw |\n| --- | --- | ---: | ---: |\n");
            for (Map<String, Object> ratio : ratios()) {
                table.append(String.format(java.util.Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", ratio.get("phase"),
                        (Integer) ratio.get("round"), (Double) ratio.get("throughput_service_over_raw"),
                        (Double) ratio.get("p99_service_over_raw")));
            }
            return table.toString();
        }

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("date", date.toString());
            json.put("machine", machine);
            json.put("options", options);
            json.put("results", rows);
            json.put("ratios", ratios());
            return json;
        }
    }
}
