package dev.sensorengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sensorengine.engine.WorkflowIds;
import dev.sensorengine.runtime.ServeCommand;
import dev.sensorengine.sensors.DurationText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The shipped deployment files say what the docs say, checked without a cluster: probes on gRPC health, non-root, two
 * replicas, memory the heap fits in, the namespace registered, propeller values flyte-core renders, and the Python
 * sensor worker beside the service on the same Temporal.
 */
class DeploymentFilesTest {

    private final YAMLMapper yaml = new YAMLMapper();

    @Test
    void theKubernetesDeploymentProbesHealthAndRunsUnprivileged() throws Exception {
        List<JsonNode> documents = documents("deploy/kubernetes/sensor-engine.yaml");
        JsonNode deployment = documents.stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow();
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);

        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("readinessProbe").path("grpc").path("port").asInt())
                .isEqualTo(8000);
        assertThat(container.path("livenessProbe").path("grpc").path("service").asText())
                .isEqualTo("liveness");
        // Startup: the liveness probe waits for it instead of guessing a delay.
        assertThat(container.path("livenessProbe").has("initialDelaySeconds")).isFalse();
        JsonNode startup = container.path("startupProbe");
        assertThat(startup.at("/grpc/port").asInt()).isEqualTo(8000);
        assertThat(startup.at("/grpc/service").asText()).isEqualTo("liveness");
        // JVM start and the namespace registration, which waits up to 60 s while Temporal starts.
        assertThat(startup.path("periodSeconds").asInt()
                        * startup.path("failureThreshold").asInt())
                .isGreaterThanOrEqualTo(90);
        assertThat(container.path("args").toString())
                .contains("--temporal-target=")
                .contains("--log-format=json");
        JsonNode service = documents.stream()
                .filter(d -> d.path("kind").asText().equals("Service"))
                .findFirst()
                .orElseThrow();
        assertThat(service.path("spec").path("ports").findValuesAsText("port")).containsExactly("8000", "9090");
    }

    /**
     * The keys of {@code configmap} that flyte-core v1.16.8 writes into propeller's ConfigMap, one file each; any
     * other key is dropped without a word. From {@code charts/flyte-core/templates/propeller/configmap.yaml} at tag
     * v1.16.8 of flyteorg/flyte ({@code with .Values.configmap.<key>} blocks).
     */
    private static final Set<String> RENDERED_CONFIGMAP_KEYS = Set.of(
            "admin",
            "catalog",
            "copilot",
            "core",
            "enabled_plugins",
            "k8s",
            "logger",
            "otel",
            "resource_manager",
            "task_logs");

    /**
     * flyte-core v1.16.8's own {@code configmap.enabled_plugins.tasks.task-plugins.enabled-plugins} (its values.yaml).
     * Helm replaces a list given in a values file, so ours must repeat every one of them.
     */
    private static final List<String> CHART_ENABLED_PLUGINS =
            List.of("container", "sidecar", "k8s-array", "connector-service", "echo");

    @Test
    void theHeapFitsInTheMemoryThePodIsPromised() throws Exception {
        JsonNode container = documents("deploy/kubernetes/sensor-engine.yaml").stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .at("/spec/template/spec/containers/0");
        long request = mebibytes(container.at("/resources/requests/memory").asText());
        long limit = mebibytes(container.at("/resources/limits/memory").asText());
        Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)")
                .matcher(Files.readString(Path.of("Dockerfile")) + container.path("env"));
        assertThat(percentage.find()).isTrue();
        long heap = limit * Integer.parseInt(percentage.group(1)) / 100;

        // A request below what the heap may take lets the node promise memory it does not have.
        assertThat(request).isEqualTo(limit).isGreaterThanOrEqualTo(heap);
        // Metaspace, thread stacks, Netty's direct buffers and the JIT's code live outside the heap.
        assertThat(limit - heap).isGreaterThanOrEqualTo(256);
    }

    @Test
    void theServiceRegistersTheNamespaceItRunsIn() throws Exception {
        Duration defaultTimeout = DurationText.parse(new CommandLine(new ServeCommand())
                .getCommandSpec()
                .findOption("--default-timeout")
                .defaultValue());
        JsonNode container = documents("deploy/kubernetes/sensor-engine.yaml").stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .at("/spec/template/spec/containers/0");
        JsonNode compose = yaml.readTree(Path.of("docker-compose.yml").toFile());

        for (JsonNode args : List.of(container.path("args"), compose.at("/services/sensor-engine/command"))) {
            List<String> flags = texts(args);
            assertThat(flags).contains("--register-namespace");
            String retention = flags.stream()
                    .filter(flag -> flag.startsWith("--namespace-retention="))
                    .findFirst()
                    .orElseThrow()
                    .substring("--namespace-retention=".length());
            // A sensor's record must outlive its deadline (docs/operations.md, "Namespace and retention").
            assertThat(DurationText.parse(retention)).isGreaterThanOrEqualTo(defaultTimeout);
        }
        assertThat(texts(container.path("args"))).contains("--namespace=flyte-sensors");
        // Nothing else creates it: no script that waits for Temporal in a loop of its own.
        assertThat(compose.path("services").toString()).doesNotContain("namespace.sh");
        try (var files = Files.list(Path.of("deploy/compose"))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("dynamicconfig.yaml", "setup-schema.sh");
        }
    }

    @Test
    void propellersConnectionMovesBetweenReplicas() throws Exception {
        JsonNode container = documents("deploy/kubernetes/sensor-engine.yaml").stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .at("/spec/template/spec/containers/0");

        assertThat(texts(container.path("args")))
                .contains("--max-connection-age=5m", "--max-connection-age-grace=30s", "--permit-keepalive-time=10s");
    }

    @Test
    void eachPodRunsThePythonSensorWorkerOnTheServicesTemporal() throws Exception {
        List<JsonNode> documents;
        try (MappingIterator<JsonNode> all = yaml.readerFor(JsonNode.class)
                .readValues(Path.of("deploy/kubernetes/sensor-engine.yaml").toFile())) {
            documents = all.readAll();
        }
        JsonNode pod = documents.stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .path("spec")
                .path("template")
                .path("spec");
        JsonNode service = pod.path("containers").get(0);
        JsonNode python = pod.path("containers").get(1);

        assertThat(python.path("name").asText()).isEqualTo("python-sensors");
        // The same Temporal and namespace as the service, and the default Python task queue on both sides.
        assertThat(options(python, "--temporal-target", "--namespace"))
                .isEqualTo(options(service, "--temporal-target", "--namespace"));
        assertThat(python.path("args").toString())
                .doesNotContain("--task-queue")
                .contains("--log-format=json");
        assertThat(service.path("args").toString()).doesNotContain("--python-task-queue");
        assertThat(python.path("ports").findValuesAsText("containerPort")).containsExactly("9091");
        assertThat(python.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
                .isTrue();
        assertThat(python.path("volumeMounts").findValuesAsText("mountPath")).contains("/tmp");
    }

    @Test
    void composeBuildsThePythonWorkerFromAFlytekitImage() throws Exception {
        JsonNode compose = yaml.readTree(Path.of("docker-compose.yml").toFile());
        JsonNode python = compose.at("/services/sensor-engine-python");

        assertThat(python.at("/build/dockerfile").asText()).isEqualTo("python/Dockerfile");
        assertThat(python.at("/build/args/FLYTEKIT_IMAGE").asText()).startsWith("${FLYTEKIT_IMAGE:-");
        assertThat(python.path("command").toString()).contains("--temporal-target=temporal:7233");
        // The service registers the namespace the worker polls in.
        assertThat(python.at("/depends_on/sensor-engine/condition").asText()).isEqualTo("service_healthy");
        assertThat(Files.readString(Path.of("python/Dockerfile")))
                .contains("FROM ${FLYTEKIT_IMAGE}")
                .contains("pip install --no-cache-dir /opt/sensor-engine-worker")
                .contains("USER 10001:10001")
                .contains("ENTRYPOINT [\"sensor-engine-worker\"]");
    }

    /** The values of {@code names} in a container's {@code --name=value} args, in that order. */
    private static List<String> options(JsonNode container, String... names) {
        List<String> values = new ArrayList<>();
        for (String name : names) {
            for (JsonNode arg : container.path("args")) {
                if (arg.asText().startsWith(name + "=")) {
                    values.add(arg.asText());
                }
            }
        }
        return values;
    }

    @Test
    void propellerValuesSitOnlyUnderKeysTheChartRenders() throws Exception {
        JsonNode values =
                yaml.readTree(Path.of("deploy/kubernetes/propeller-values.yaml").toFile());

        assertThat(iterable(values.fieldNames())).containsExactly("configmap");
        assertThat(iterable(values.path("configmap").fieldNames())).isSubsetOf(RENDERED_CONFIGMAP_KEYS);
    }

    @Test
    void propellerRoutesSensorTasksToTheConnectorOnEveryReplica() throws Exception {
        JsonNode configmap = yaml.readTree(
                        Path.of("deploy/kubernetes/propeller-values.yaml").toFile())
                .path("configmap");
        // Propeller reads every rendered file and merges them: this is its configuration.
        ObjectNode propeller = yaml.createObjectNode();
        RENDERED_CONFIGMAP_KEYS.forEach(key -> merge(propeller, configmap.path(key)));

        JsonNode plugins = propeller.at("/tasks/task-plugins");
        assertThat(plugins.path("default-for-task-types").path("sensor").asText())
                .isEqualTo("connector-service");
        assertThat(texts(plugins.path("enabled-plugins"))).containsAll(CHART_ENABLED_PLUGINS);
        JsonNode connector = propeller.at("/plugins/connector-service");
        assertThat(texts(connector.path("supportedTaskTypes"))).containsExactly("sensor");
        assertThat(connector.at("/defaultConnector/defaultTimeout").asText()).isEqualTo("10s");
        // k8s://NAME.NAMESPACE:PORT: propeller resolves the Service to its pods and spreads calls over all of them.
        JsonNode service = documents("deploy/kubernetes/sensor-engine.yaml").stream()
                .filter(d -> d.path("kind").asText().equals("Service"))
                .findFirst()
                .orElseThrow();
        assertThat(connector.at("/defaultConnector/endpoint").asText())
                .isEqualTo("k8s://" + service.at("/metadata/name").asText() + ".flyte:"
                        + service.at("/spec/ports/0/port").asInt());
        assertThat(Files.readString(Path.of("deploy/kubernetes/sensor-engine.yaml")))
                .contains("kubectl apply -n flyte");
    }

    @Test
    void composedTemporalRefusesTheIdsItsPostgresCannotStore() throws Exception {
        JsonNode dynamicConfig =
                yaml.readTree(Path.of("deploy/compose/dynamicconfig.yaml").toFile());

        assertThat(dynamicConfig.at("/limit.maxIDLength/0/value").asInt())
                .isEqualTo(WorkflowIds.MAX_LENGTH)
                .isEqualTo(255);
    }

    @Test
    void composeRunsTheServiceAgainstTheComposedTemporal() throws Exception {
        JsonNode compose = yaml.readTree(Path.of("docker-compose.yml").toFile());

        assertThat(compose.at("/services/sensor-engine/command").toString())
                .contains("--temporal-target=temporal:7233")
                .contains("--temporal-ui-url=http://localhost:8080");
        assertThat(compose.at("/services/temporal/image").asText()).startsWith("temporalio/server:");
        assertThat(compose.at("/services/temporal-schema/image").asText()).startsWith("temporalio/admin-tools:");
        assertThat(compose.at("/services/temporal-ui/ports/0").asText()).isEqualTo("8080:8080");
        assertThat(Files.readString(Path.of("Dockerfile")))
                .contains("USER 10001")
                .contains("HEALTHCHECK")
                .contains("EXPOSE 8000 9090");
    }

    /** A Kubernetes memory quantity in MiB ({@code 1536Mi}, {@code 2Gi}). */
    private static long mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        assertThat(quantity).endsWith("Mi");
        return Long.parseLong(quantity.substring(0, quantity.length() - 2));
    }

    private List<JsonNode> documents(String file) throws IOException {
        try (MappingIterator<JsonNode> all =
                yaml.readerFor(JsonNode.class).readValues(Path.of(file).toFile())) {
            return all.readAll();
        }
    }

    /** Helm's merge of values: maps merge key by key, anything else (lists too) replaces. */
    private static void merge(ObjectNode into, JsonNode from) {
        from.fields().forEachRemaining(field -> {
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode target && field.getValue().isObject()) {
                merge(target, field.getValue());
            } else {
                into.set(field.getKey(), field.getValue().deepCopy());
            }
        });
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static <T> List<T> iterable(Iterator<T> iterator) {
        List<T> all = new ArrayList<>();
        iterator.forEachRemaining(all::add);
        return all;
    }
}
