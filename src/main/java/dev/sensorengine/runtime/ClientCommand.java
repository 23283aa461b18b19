package dev.sensorengine.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.Value;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.ListAgentsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution;
import dev.sensorengine.flyteidl.service.AgentMetadataServiceGrpc;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import dev.sensorengine.literals.Structs;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sensor-engine client}: calls a running service over gRPC as propeller would. {@code create} prints the
 * {@code resource_meta} (base64) that the other commands take.
 */
@Command(
        name = "client",
        mixinStandardHelpOptions = true,
        description = "Call a running Sensor Engine over gRPC, as propeller would.",
        subcommands = {
            ClientCommand.Create.class,
            ClientCommand.Get.class,
            ClientCommand.Watch.class,
            ClientCommand.Delete.class,
            ClientCommand.Logs.class,
            ClientCommand.Agents.class,
            ClientCommand.Health.class
        })
public final class ClientCommand {

    static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();

    @Option(
            names = "--target",
            paramLabel = "HOST:PORT",
            defaultValue = "localhost:8000",
            description = "host:port of the service (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(
            names = "--deadline",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Deadline of each call, as propeller's 10 s (default: ${DEFAULT-VALUE}).")
    Duration deadline;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "Use TLS, trusting these PEM CA certificates.")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Client certificate for mutual TLS (PEM).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PKCS#8 key of --tls-cert (PEM).")
    Path tlsKey;

    @Spec
    CommandSpec spec;

    ManagedChannel channel() {
        if (tlsCa == null && tlsCert == null) {
            return NettyChannelBuilder.forTarget(target).usePlaintext().build();
        }
        try {
            TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
            if (tlsCa != null) {
                tls.trustManager(tlsCa.toFile());
            }
            if (tlsCert != null) {
                tls.keyManager(tlsCert.toFile(), tlsKey == null ? null : tlsKey.toFile());
            }
            return Grpc.newChannelBuilder(target, tls.build()).build();
        } catch (IOException e) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "cannot read the TLS files: " + e.getMessage());
        }
    }

    AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub agents(ManagedChannel channel) {
        return AsyncAgentServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Runs a call against the service, printing a failed call's status instead of a stack trace. */
    int call(ChannelCall body) throws InterruptedException {
        ManagedChannel channel = channel();
        try {
            body.run(channel);
            return 0;
        } catch (StatusRuntimeException e) {
            spec.commandLine()
                    .getErr()
                    .println("error: " + e.getStatus().getCode() + ": "
                            + e.getStatus().getDescription());
            return 1;
        } finally {
            // main() ends in System.exit, which flushes nothing: what a command printed must be out by now.
            out().flush();
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    interface ChannelCall {
        void run(ManagedChannel channel) throws InterruptedException;
    }

    static ByteString meta(String base64) {
        try {
            return ByteString.copyFrom(Base64.getDecoder().decode(base64.trim()));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(new Object()),
                    "resource_meta must be the base64 text that 'client create' printed");
        }
    }

    static String line(Resource resource) {
        return resource.getPhase() + " " + resource.getMessage();
    }

    /**
     * What makes a status new for {@code watch}: its phase and the latest poke's result. The message's countdowns
     * ("next in 2s", "times out in 6d23h") and the poke count tick on their own and are not news.
     */
    static String news(Resource resource) {
        Value result = resource.getCustomInfo().getFieldsOrDefault("last_poke_result", Value.getDefaultInstance());
        return resource.getPhase() + " "
                + (resource.getPhase() == TaskExecution.Phase.RUNNING
                        ? result.getStringValue()
                        : resource.getMessage());
    }

    /** A command about one sensor, named by the {@code resource_meta} that {@code create} printed. */
    abstract static class SensorCommand implements Callable<Integer> {
        @ParentCommand
        ClientCommand client;

        @Parameters(paramLabel = "RESOURCE_META", description = "What 'client create' printed.")
        String meta;

        GetTaskRequest getRequest() {
            return GetTaskRequest.newBuilder()
                    .setTaskCategory(SENSOR)
                    .setResourceMeta(meta(meta))
                    .build();
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a sensor task as propeller would and print its resource_meta.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        ClientCommand client;

        @Option(
                names = "--path",
                paramLabel = "PATH",
                description = "Shortcut: a FileSensor for this path (sets --input path=PATH).")
        String path;

        @Option(
                names = "--sensor-module",
                paramLabel = "MODULE",
                defaultValue = "flytekit.sensor.file_sensor",
                description = "flytekit sensor_module (default: ${DEFAULT-VALUE}).")
        String module;

        @Option(
                names = "--sensor-name",
                paramLabel = "NAME",
                defaultValue = "FileSensor",
                description = "flytekit sensor_name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(
                names = "--input",
                paramLabel = "NAME=VALUE",
                description = "A string input of poke(), NAME=VALUE; repeatable.")
        Map<String, String> inputs = new LinkedHashMap<>();

        @Option(
                names = "--config",
                paramLabel = "KEY=VALUE",
                description = "A sensor_config entry, KEY=VALUE (e.g. poke_interval=5s); repeatable.")
        Map<String, String> config = new LinkedHashMap<>();

        @Option(
                names = "--execution",
                paramLabel = "NAME",
                description = "Flyte execution name (default: a new random one).")
        String execution;

        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                converter = DurationConverter.class,
                description = "TaskTemplate.metadata.timeout.")
        Duration timeout;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> taskInputs = new LinkedHashMap<>(inputs);
            if (path != null) {
                taskInputs.put("path", path);
            }
            String executionName = execution != null
                    ? execution
                    : "demo-" + UUID.randomUUID().toString().substring(0, 8);
            var request = FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                    "flytesnacks",
                    "development",
                    executionName,
                    "n0",
                    0,
                    module,
                    name,
                    new LinkedHashMap<>(config),
                    taskInputs,
                    Optional.ofNullable(timeout)));
            return client.call(channel -> {
                var response = client.agents(channel).createTask(request);
                client.out()
                        .println(Base64.getEncoder()
                                .encodeToString(response.getResourceMeta().toByteArray()));
            });
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Print a sensor's phase, message and custom info.")
    static final class Get extends SensorCommand {
        @Override
        public Integer call() throws InterruptedException {
            return client.call(channel -> {
                Resource resource = client.agents(channel).getTask(getRequest()).getResource();
                client.out().println(line(resource));
                Structs.toMap(resource.getCustomInfo())
                        .forEach((k, v) -> client.out().println("  " + k + ": " + v));
                resource.getLogLinksList().forEach(l -> client.out().println("  " + l.getName() + ": " + l.getUri()));
            });
        }
    }

    @Command(
            name = "watch",
            mixinStandardHelpOptions = true,
            description = "Poll a sensor until it ends, printing a line each time its status changes.")
    static final class Watch extends SensorCommand {
        @Option(
                names = "--every",
                paramLabel = "DURATION",
                defaultValue = "1s",
                converter = DurationConverter.class,
                description = "Time between two GetTask calls (default: ${DEFAULT-VALUE}).")
        Duration every;

        @Override
        public Integer call() throws InterruptedException {
            int[] exit = {0};
            int status = client.call(channel -> {
                String last = "";
                while (true) {
                    Resource resource =
                            client.agents(channel).getTask(getRequest()).getResource();
                    String news = news(resource);
                    if (!news.equals(last)) {
                        client.out().println(Instant.now() + " " + line(resource));
                        client.out().flush();
                        last = news;
                    }
                    if (resource.getPhase() != TaskExecution.Phase.RUNNING) {
                        exit[0] = resource.getPhase() == TaskExecution.Phase.SUCCEEDED ? 0 : 2;
                        return;
                    }
                    Thread.sleep(every.toMillis());
                }
            });
            return status != 0 ? status : exit[0];
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Cancel a sensor (idempotent).")
    static final class Delete extends SensorCommand {
        @Override
        public Integer call() throws InterruptedException {
            return client.call(channel -> {
                client.agents(channel)
                        .deleteTask(DeleteTaskRequest.newBuilder()
                                .setTaskCategory(SENSOR)
                                .setResourceMeta(meta(meta))
                                .build());
                client.out().println("deleted");
            });
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a sensor's log lines.")
    static final class Logs extends SensorCommand {
        @Override
        public Integer call() throws InterruptedException {
            return client.call(channel -> client.agents(channel)
                    .getTaskLogs(GetTaskLogsRequest.newBuilder()
                            .setTaskCategory(SENSOR)
                            .setResourceMeta(meta(meta))
                            .build())
                    .forEachRemaining(part -> part.getBody()
                            .getStructuredLinesList()
                            .forEach(l -> client.out().print(l.getMessage()))));
        }
    }

    @Command(
            name = "health",
            mixinStandardHelpOptions = true,
            description =
                    "Exit 0 when the service's gRPC health is SERVING (for container health checks), 1 otherwise.")
    static final class Health implements Callable<Integer> {
        @ParentCommand
        ClientCommand client;

        @Option(
                names = "--service",
                paramLabel = "NAME",
                defaultValue = "",
                description = "Health service name: \"\" for readiness, \"liveness\" for liveness (default: \"\").")
        String service;

        @Override
        public Integer call() throws InterruptedException {
            int[] status = {1};
            int call = client.call(channel -> {
                var health = HealthGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(client.deadline.toMillis(), TimeUnit.MILLISECONDS)
                        .check(HealthCheckRequest.newBuilder()
                                .setService(service)
                                .build())
                        .getStatus();
                client.out().println(health);
                status[0] = health == HealthCheckResponse.ServingStatus.SERVING ? 0 : 1;
            });
            return call != 0 ? call : status[0];
        }
    }

    @Command(name = "agents", mixinStandardHelpOptions = true, description = "List the agents the service announces.")
    static final class Agents implements Callable<Integer> {
        @ParentCommand
        ClientCommand client;

        @Override
        public Integer call() throws InterruptedException {
            return client.call(channel -> AgentMetadataServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(client.deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .listAgents(ListAgentsRequest.getDefaultInstance())
                    .getAgentsList()
                    .forEach(agent -> client.out()
                            .println(agent.getName() + " is_sync=" + agent.getIsSync()
                                    + " categories="
                                    + agent.getSupportedTaskCategoriesList().stream()
                                            .map(c -> c.getName() + " v" + c.getVersion())
                                            .toList())));
        }
    }
}
