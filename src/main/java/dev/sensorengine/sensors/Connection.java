package dev.sensorengine.sensors;

import java.util.Map;
import java.util.Optional;

/**
 * A named connection from the service's configuration ({@code --connections FILE}): endpoints and credentials
 * live here, not in task templates, which anyone who can read a Flyte workflow can read.
 *
 * @param type {@code http}, {@code jdbc}, {@code s3}, or a custom sensor's own
 * @param settings plain values, e.g. {@code region} or {@code username}
 * @param secrets credentials, e.g. {@code password}
 * @param headers HTTP headers sent with every request of an {@code http} connection
 */
public record Connection(
        String name,
        String type,
        String url,
        Map<String, String> settings,
        Map<String, Secret> secrets,
        Map<String, Secret> headers) {

    public Connection {
        url = url == null ? "" : url;
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    public Optional<Secret> secret(String key) {
        return Optional.ofNullable(secrets.get(key));
    }
}
