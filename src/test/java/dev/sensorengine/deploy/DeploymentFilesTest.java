package dev.sensorengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped deployment files say what the README says: probes on gRPC health, non-root, two replicas, and the Python
 * sensor worker beside the service on the same Temporal.
 */
class DeploymentFilesTest {

    private final YAMLMapper yaml = new YAMLMapper();

    @Test
    void theKubernetesDeploymentProbesHealthAndRunsUnprivileged() throws Exception {
        List<JsonNode> documents;
        try (MappingIterator<JsonNode> all = yaml.readerFor(JsonNode.class)
                .readValues(Path.of("deploy/kubernetes/sensor-engine.yaml").toFile())) {
            documents = all.readAll();
        }
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
        assertThat(python.at("/depends_on/temporal-namespace/condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(Files.readString(Path.of("python/Dockerfile")))
                .contains("FROM ${FLYTEKIT_IMAGE}")
                .contains("pip install --no-cache-dir /opt/sensor-engine-worker")
                .contains("USER 10001:10001")
                .contains("ENTRYPOINT [\"sensor-engine-worker\"]");
    }

    /** The values of {@code names} in a container's {@code --name=value} args, in that order. */
    private static List<String> options(JsonNode container, String... names) {
        List<String> values = new java.util.ArrayList<>();
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
    void propellerRoutesSensorTasksToTheConnector() throws Exception {
        JsonNode values =
                yaml.readTree(Path.of("deploy/kubernetes/propeller-values.yaml").toFile());

        assertThat(values.at("/configmap/enabled_plugins/tasks/task-plugins/default-for-task-types/sensor")
                        .asText())
                .isEqualTo("connector-service");
        assertThat(values.at("/configmap/connector_service/plugins/connector-service/defaultConnector/endpoint")
                        .asText())
                .endsWith(":8000");
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
}
