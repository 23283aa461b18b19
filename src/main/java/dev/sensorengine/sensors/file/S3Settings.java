package dev.sensorengine.sensors.file;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.SensorConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * How to reach S3: the SDK's defaults, or a named connection of type {@code s3} with settings {@code region},
 * {@code endpoint} (or the connection's {@code url}) and {@code path_style}, and secrets {@code access_key_id}
 * and {@code secret_access_key} (plus {@code session_token}, optionally). A connection without secrets takes its
 * credentials from the SDK's default chain. Equal settings share one client.
 *
 * @param connection where the credentials come from; empty for the SDK's default chain
 */
public record S3Settings(
        Optional<String> region, Optional<URI> endpoint, boolean pathStyle, Optional<Connection> connection) {

    /** The SDK's own defaults: region and credentials from its default chains, endpoint from AWS_ENDPOINT_URL_S3. */
    public static S3Settings defaults() {
        return new S3Settings(Optional.empty(), Optional.empty(), false, Optional.empty());
    }

    /** @throws SensorConfigurationException naming the connection and the setting that is wrong */
    public static S3Settings of(Connection connection) {
        Optional<URI> endpoint = connection
                .setting("endpoint")
                .or(() -> Optional.of(connection.url()))
                .filter(text -> !text.isBlank())
                .map(text -> endpoint(connection, text));
        String pathStyle =
                connection.setting("path_style").orElse("false").trim().toLowerCase(Locale.ROOT);
        if (!pathStyle.equals("true") && !pathStyle.equals("false")) {
            throw new SensorConfigurationException(
                    "connection '" + connection.name() + "': setting path_style must be true or false");
        }
        boolean hasId = connection.secret("access_key_id").isPresent();
        if (hasId != connection.secret("secret_access_key").isPresent()) {
            throw new SensorConfigurationException("connection '" + connection.name() + "' needs both secrets "
                    + "access_key_id and secret_access_key, or neither (for the SDK's default credentials)");
        }
        return new S3Settings(
                connection.setting("region").filter(text -> !text.isBlank()),
                endpoint,
                pathStyle.equals("true"),
                Optional.of(connection));
    }

    private static URI endpoint(Connection connection, String text) {
        try {
            URI uri = new URI(text.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(text, "needs a scheme and a host, e.g. http://minio:9000");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new SensorConfigurationException(
                    "connection '" + connection.name() + "': endpoint is not a URL (" + e.getReason() + ")");
        }
    }

    /** Credentials from the connection's secrets, else the SDK's default chain. */
    boolean hasStaticCredentials() {
        return connection.flatMap(c -> c.secret("access_key_id")).isPresent();
    }
}
