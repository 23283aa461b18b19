package dev.sensorengine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.javaprop.JavaPropsMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads {@code --connections FILE}: YAML, or Java properties when the name ends in {@code .properties}
 * ({@code connections.warehouse.type=jdbc}, ...). Each connection has a {@code type}, a {@code url}, plain
 * {@code settings}, and {@code secrets} and {@code headers} whose values are {@code {env: VARIABLE}},
 * {@code {file: PATH}} or {@code {value: TEXT}}. Every secret is checked at start-up, so a missing variable stops
 * the service instead of failing sensors later; no value is kept or printed.
 */
public final class ConnectionsFile {

    private ConnectionsFile() {}

    /** @throws IllegalArgumentException naming the file, the connection and what is wrong */
    public static Connections load(Path file, UnaryOperator<String> environment) {
        ObjectMapper mapper =
                file.getFileName().toString().endsWith(".properties") ? new JavaPropsMapper() : new YAMLMapper();
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the connections file " + file + ": " + e.getMessage(), e);
        }
        JsonNode entries = root == null ? null : root.get("connections");
        if (entries == null || !entries.isObject()) {
            throw new IllegalArgumentException("the connections file " + file + " needs a top-level 'connections' map");
        }
        List<Connection> connections = new ArrayList<>();
        entries.fields()
                .forEachRemaining(
                        entry -> connections.add(connection(file, entry.getKey(), entry.getValue(), environment)));
        connections.forEach(connection -> {
            connection.secrets().values().forEach(Secret::reveal);
            connection.headers().values().forEach(Secret::reveal);
        });
        return new Connections(connections);
    }

    private static Connection connection(Path file, String name, JsonNode node, UnaryOperator<String> environment) {
        String where = "connection '" + name + "' in " + file;
        String type = node.path("type").asText("");
        if (type.isBlank()) {
            throw new IllegalArgumentException(where + " has no type (http, jdbc or s3)");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        node.path("settings")
                .fields()
                .forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        return new Connection(
                name,
                type,
                node.path("url").asText(""),
                settings,
                secrets(where, node.path("secrets"), environment),
                secrets(where, node.path("headers"), environment));
    }

    private static Map<String, Secret> secrets(String where, JsonNode node, UnaryOperator<String> environment) {
        Map<String, Secret> secrets = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> {
            JsonNode ref = entry.getValue();
            Secret secret;
            if (ref.hasNonNull("env")) {
                secret = Secret.fromEnvironment(ref.get("env").asText(), environment);
            } else if (ref.hasNonNull("file")) {
                secret = Secret.fromFile(Path.of(ref.get("file").asText()));
            } else if (ref.hasNonNull("value")) {
                secret = Secret.literal(ref.get("value").asText());
            } else {
                throw new IllegalArgumentException(
                        where + ": '" + entry.getKey() + "' must be {env: VARIABLE}, {file: PATH} or {value: TEXT}");
            }
            secrets.put(entry.getKey(), secret);
        });
        return secrets;
    }
}
