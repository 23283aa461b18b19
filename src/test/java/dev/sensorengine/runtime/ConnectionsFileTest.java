package dev.sensorengine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.SensorConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionsFileTest {

    @TempDir
    Path dir;

    private final Map<String, String> environment =
            Map.of("WAREHOUSE_PASSWORD", "hunter2", "PARTNER_TOKEN", "Bearer t0k");

    @Test
    void yamlConnectionsWithSecretsFromTheEnvironmentAndFiles() throws Exception {
        Files.writeString(dir.resolve("s3-secret"), "wJalrXUtnFEMI\n");
        Path file = Files.writeString(dir.resolve("connections.yaml"), """
                connections:
                  warehouse:
                    type: jdbc
                    url: jdbc:postgresql://db:5432/analytics
                    settings: {username: sensor}
                    secrets:
                      password: {env: WAREHOUSE_PASSWORD}
                  partner:
                    type: http
                    url: https://api.example.com
                    headers:
                      Authorization: {env: PARTNER_TOKEN}
                      Accept: {value: application/json}
                  lake:
                    type: s3
                    settings: {region: eu-west-1, endpoint: 'http://minio:9000', path_style: 'true'}
                    secrets:
                      secret_access_key: {file: %s}
                """.formatted(dir.resolve("s3-secret")));

        Connections connections = ConnectionsFile.load(file, environment::get);

        Connection warehouse = connections.get("warehouse", "jdbc");
        assertThat(warehouse.url()).isEqualTo("jdbc:postgresql://db:5432/analytics");
        assertThat(warehouse.setting("username")).contains("sensor");
        assertThat(warehouse.secret("password").orElseThrow().reveal()).isEqualTo("hunter2");
        assertThat(connections
                        .get("partner", "http")
                        .headers()
                        .get("Authorization")
                        .reveal())
                .isEqualTo("Bearer t0k");
        assertThat(connections
                        .get("lake", "s3")
                        .secret("secret_access_key")
                        .orElseThrow()
                        .reveal())
                .isEqualTo("wJalrXUtnFEMI");
        // Printing a connection shows where its secrets come from, never what they are.
        assertThat(warehouse.toString() + connections.get("partner", "http"))
                .doesNotContain("hunter2", "t0k")
                .contains("Secret[env:WAREHOUSE_PASSWORD]");
    }

    @Test
    void propertiesFilesWorkToo() throws Exception {
        Path file = Files.writeString(dir.resolve("connections.properties"), """
                connections.warehouse.type=jdbc
                connections.warehouse.url=jdbc:sqlite:/tmp/x.db
                connections.warehouse.secrets.password.env=WAREHOUSE_PASSWORD
                """);

        Connection warehouse = ConnectionsFile.load(file, environment::get).get("warehouse", "jdbc");

        assertThat(warehouse.url()).isEqualTo("jdbc:sqlite:/tmp/x.db");
        assertThat(warehouse.secret("password").orElseThrow().reveal()).isEqualTo("hunter2");
    }

    @Test
    void aMissingSecretStopsTheServiceAtStartUp() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), """
                connections:
                  warehouse: {type: jdbc, url: 'jdbc:x', secrets: {password: {env: NOT_SET_ANYWHERE}}}
                """);

        assertThatThrownBy(() -> ConnectionsFile.load(file, environment::get))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("NOT_SET_ANYWHERE");
    }

    @Test
    void malformedFilesAreRefusedNamingTheProblem() throws Exception {
        assertThatThrownBy(() ->
                        ConnectionsFile.load(Files.writeString(dir.resolve("a.yaml"), "other: 1\n"), environment::get))
                .hasMessageContaining("top-level 'connections'");
        assertThatThrownBy(() -> ConnectionsFile.load(
                        Files.writeString(dir.resolve("b.yaml"), "connections:\n  x: {url: 'http://a'}\n"),
                        environment::get))
                .hasMessageContaining("connection 'x'")
                .hasMessageContaining("no type");
        assertThatThrownBy(() -> ConnectionsFile.load(
                        Files.writeString(
                                dir.resolve("c.yaml"), "connections:\n  x: {type: http, headers: {A: plain}}\n"),
                        environment::get))
                .hasMessageContaining("{env: VARIABLE}, {file: PATH} or {value: TEXT}");
        assertThatThrownBy(() -> ConnectionsFile.load(dir.resolve("missing.yaml"), environment::get))
                .hasMessageContaining("cannot read the connections file");
    }

    @Test
    void sensorsAskingForAnUnknownOrMistypedConnectionGetAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), "connections:\n  api: {type: http, url: 'http://a'}\n");
        Connections connections = ConnectionsFile.load(file, environment::get);

        assertThatThrownBy(() -> connections.get("warehouse", "jdbc"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("unknown connection 'warehouse'")
                .hasMessageContaining("[api]");
        assertThatThrownBy(() -> connections.get("api", "jdbc")).hasMessageContaining("is of type http");
    }
}
