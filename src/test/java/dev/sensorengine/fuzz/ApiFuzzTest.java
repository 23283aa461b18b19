package dev.sensorengine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.runtime.SensorEngineService;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.testing.LogCapture;
import dev.sensorengine.testing.RawGrpc;
import dev.sensorengine.testing.RawGrpc.Outcome;
import dev.sensorengine.testing.RawGrpc.Rpc;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.workflow.Json;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the AsyncAgentService of a real service (embedded Temporal, worker, engine, gRPC on a socket) with
 * {@link FuzzRequests}: each try is one call, sent as raw bytes so the server's own parser sees them. Every call
 * must end with a status that is legitimate for what was sent (never INTERNAL, UNKNOWN or a deadline), nothing may
 * be logged as an error or with a stack trace, health must stay SERVING, and every sensor a call created must still
 * exist at the end, readable through GetTask; the well-formed ones must not have failed.
 *
 * <p>Tries: {@code -Dfuzz.tries=N} (default {@value FuzzTries#DEFAULT}). With {@code -Dfuzz.keepGoing=true} a run
 * does not stop at the first bad call but lists every distinct one at the end (no shrinking then).
 */
class ApiFuzzTest {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final boolean KEEP_GOING = Boolean.getBoolean("fuzz.keepGoing");

    private static Path root;
    private static LogCapture logs;
    private static SensorEngineService service;
    private static ManagedChannel channel;
    private static RawGrpc grpc;
    /** Metas of every successful CreateTask, and of the well-formed ones alone. */
    private static final List<byte[]> issued = new CopyOnWriteArrayList<>();

    private static final List<byte[]> valid = new CopyOnWriteArrayList<>();
    private static final Map<String, Integer> outcomes = new TreeMap<>();
    private static final Map<String, String> violations = new TreeMap<>();
    private static int problemsSeen;
    /** Set once a call has failed the property: the checks at the end would only repeat it. */
    private static boolean failed;

    private static int calls;
    private static long startedNanos;

    @BeforeContainer
    static void startService() throws IOException {
        root = Files.createTempDirectory("fuzz-root");
        logs = LogCapture.start();
        // Pokes an hour apart: thousands of waiting sensors cost the worker one poke each.
        service = SensorEngineService.start(ServiceConfig.inProcess("fuzz-sensors")
                .temporalTarget(RealTemporal.shared())
                .pokeIntervals(Duration.ofHours(1), Duration.ofHours(1))
                .defaultTimeout(Duration.ofDays(7))
                .fileRoots(List.of(root))
                // The well-formed HttpSensors wait on a closed port on loopback, which sensors may not reach by
                // default.
                .allowNetworks(List.of("127.0.0.0/8"))
                .build());
        // The client keeps gRPC's default 4 MiB inbound limit, as propeller's does: a bigger answer is a bug.
        channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort())
                .usePlaintext()
                .build();
        grpc = new RawGrpc(channel, Duration.ofSeconds(10));
        startedNanos = System.nanoTime();
    }

    @AfterContainer
    static void stopService() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (service != null) {
            service.close();
        }
        if (logs != null) {
            logs.close();
        }
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Property(shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(FuzzTries.class)
    void everyCallEndsWithALegitimateStatus(@ForAll("calls") FuzzCall call) throws IOException {
        byte[] request = call.body().bytes(List.copyOf(issued));
        Outcome outcome = grpc.call(call.rpc(), request);
        calls++;
        synchronized (outcomes) {
            outcomes.merge(
                    call.label().replaceAll("(?s) \\[.*", "") + " " + call.rpc() + " -> " + outcome.code(),
                    1,
                    Integer::sum);
        }
        if (call.rpc() == Rpc.CREATE && outcome.code() == Status.Code.OK) {
            byte[] meta = CreateTaskResponse.parseFrom(outcome.responses().get(0))
                    .getResourceMeta()
                    .toByteArray();
            issued.add(meta);
            if (call.validCreate()) {
                valid.add(meta);
            }
        }
        // A request over gRPC's size limit is refused as such, whatever it holds.
        boolean oversize = request.length > FuzzCall.MAX_MESSAGE - 1024;
        if (!call.allowed().contains(outcome.code())
                && !(oversize && outcome.code() == Status.Code.RESOURCE_EXHAUSTED)) {
            violation(outcome.code() + " " + shorten(String.valueOf(outcome.description())), call + " -> " + outcome);
        }
        List<LogCapture.Entry> problems = problems();
        if (problems.size() > problemsSeen) {
            String first = problems.get(problemsSeen).text();
            problemsSeen = problems.size();
            violation("logged: " + shorten(first.lines().findFirst().orElse("")), "after " + call + ":\n" + first);
        }
        if (calls % 100 == 0) {
            assertThat(health()).as("health after %d calls", calls).isEqualTo(ServingStatus.SERVING);
        }
    }

    @Provide
    Arbitrary<FuzzCall> calls() {
        return new FuzzRequests(root).calls();
    }

    @AfterProperty
    void everySensorStillExistsAndTheServiceIsHealthy() throws Exception {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf(
                "API fuzz: %d calls in %.1f s, %d sensors created (%d well-formed)%n",
                calls, seconds, issued.size(), valid.size());
        outcomes.forEach((kind, count) -> System.out.printf("  %6d %s%n", count, kind));
        if (failed) {
            return;
        }
        assertThat(health()).isEqualTo(ServingStatus.SERVING);
        List<String> missing = new ArrayList<>();
        WorkflowServiceStubs temporal = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(service.temporalTarget())
                .build());
        try {
            for (byte[] meta : issued) {
                String workflowId = JSON.readTree(meta).path("workflow_id").asText();
                // Asked of Temporal first: GetTask would start a lost sensor again and so hide the loss.
                try {
                    temporal.blockingStub()
                            .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                                    .setNamespace("default")
                                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                                    .build());
                } catch (StatusRuntimeException e) {
                    missing.add(workflowId + ": " + e.getStatus());
                    continue;
                }
                Outcome got = grpc.call(
                        Rpc.GET,
                        GetTaskRequest.newBuilder()
                                .setTaskCategory(TaskCategory.newBuilder().setName("sensor"))
                                .setResourceMeta(ByteString.copyFrom(meta))
                                .build()
                                .toByteArray());
                if (got.code() != Status.Code.OK) {
                    missing.add(workflowId + ": GetTask " + got);
                    continue;
                }
                Phase phase = GetTaskResponse.parseFrom(got.responses().get(0))
                        .getResource()
                        .getPhase();
                if (valid.contains(meta) && phase == Phase.FAILED) {
                    missing.add(workflowId + ": a well-formed sensor FAILED: "
                            + GetTaskResponse.parseFrom(got.responses().get(0))
                                    .getResource()
                                    .getMessage());
                }
            }
        } finally {
            temporal.shutdownNow();
        }
        violations.forEach((kind, example) -> System.out.println("VIOLATION " + kind + "\n    e.g. " + example));
        assertThat(missing).as("sensors created during the run").isEmpty();
        assertThat(violations.keySet())
                .as("distinct bad outcomes (see the output for an example of each)")
                .isEmpty();
        assertThat(problems())
                .extracting(LogCapture.Entry::text)
                .as("errors and stack traces logged")
                .isEmpty();
    }

    /**
     * What was logged as an error or with a stack trace, less two notes of libraries about things that are fine:
     * grpc-java's for a request over its size limit (refused with RESOURCE_EXHAUSTED, as it should be), and the
     * Temporal SDK's for a poke that ended after a DeleteTask had already closed its sensor's workflow (the real
     * server words it "Completed workflow" or "workflow execution already completed", by where the call met it), or for a
     * workflow that completed as a DeleteTask's cancel request arrived (the real server refuses the completion as
     * "UnhandledCommand" and the SDK runs the workflow task again with the request in its history).
     */
    private static List<LogCapture.Entry> problems() {
        return logs.problems().stream()
                .filter(entry -> !(entry.source().equals("jul")
                        && entry.text().startsWith("Exception processing message")
                        && entry.text().contains("RESOURCE_EXHAUSTED: gRPC message exceeds maximum size")))
                .filter(entry -> !(entry.text().startsWith("Failure during reporting of activity result")
                        && (entry.text().contains("NOT_FOUND: Completed workflow")
                                || entry.text().contains("NOT_FOUND: workflow execution already completed"))))
                .filter(entry -> !entry.text().contains("UnhandledCommand"))
                .toList();
    }

    private static void violation(String kind, String example) {
        if (!KEEP_GOING) {
            failed = true;
            throw new AssertionError(kind + "\n" + example);
        }
        violations.putIfAbsent(kind, example);
    }

    private static ServingStatus health() {
        return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus();
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "…" : oneLine;
    }
}
