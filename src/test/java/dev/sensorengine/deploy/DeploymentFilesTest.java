package dev.sensorengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped deployment files say what the README says: probes on gRPC health, non-root, two replicas. */
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
