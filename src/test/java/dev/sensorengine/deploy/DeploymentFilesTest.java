package dev.sensorengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sensorengine.engine.WorkflowIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped deployment files say what the README says: probes on gRPC health, non-root, two replicas. */
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
