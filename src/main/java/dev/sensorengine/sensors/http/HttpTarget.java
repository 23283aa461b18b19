package dev.sensorengine.sensors.http;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Secret;
import dev.sensorengine.sensors.SensorConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The URL one HTTP sensor calls and the headers it sends. Headers come only from a named connection of type
 * {@code http}, never from the task; with a connection, the task's URL is relative to the connection's
 * {@code url} or must lie under it, so a task cannot send the connection's credentials to another host.
 */
public record HttpTarget(URI uri, Map<String, Secret> headers, Optional<String> connection) {

    public HttpTarget {
        headers = Map.copyOf(headers);
    }

    /** @throws SensorConfigurationException naming what is wrong with the URL */
    public static HttpTarget of(String url, Optional<Connection> connection) {
        if (connection.isEmpty()) {
            return new HttpTarget(absolute(url, "url"), Map.of(), Optional.empty());
        }
        Connection named = connection.get();
        if (named.url().isBlank()) {
            // Its url bounds where its headers may go: without one, a task could send them anywhere.
            throw new SensorConfigurationException("connection '" + named.name() + "' has no url; an http connection "
                    + "needs one, the base its requests stay under");
        }
        URI base = absolute(named.url(), "connection '" + named.name() + "' url");
        URI uri = hasScheme(url) ? absolute(url, "url") : under(base, url);
        if (!within(base, uri)) {
            throw new SensorConfigurationException("url " + display(uri) + " is outside connection '" + named.name()
                    + "' (" + display(base) + "); give a path relative to it, or name no connection");
        }
        return new HttpTarget(uri, named.headers(), Optional.of(named.name()));
    }

    /** The host (and port, when not the scheme's default) for messages and rate limits. */
    public String host() {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** The URL without user information or query, which may carry credentials: safe for messages. */
    public String display() {
        return display(uri);
    }

    static String display(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getScheme() + "://" + (uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort())
                + path;
    }

    private static boolean hasScheme(String url) {
        return url.matches("(?i)^[a-z][a-z0-9+.-]*://.*");
    }

    private static URI absolute(String url, String what) {
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new SensorConfigurationException(
                        what + " '" + url + "' must be an http:// or https:// URL " + "with a host");
            }
            return uri.normalize();
        } catch (URISyntaxException e) {
            throw new SensorConfigurationException(what + " '" + url + "' is not a valid URL: " + e.getReason());
        }
    }

    /** {@code base} + {@code relative} as paths: base https://h/v1 and relative status/42 give https://h/v1/status/42. */
    private static URI under(URI base, String relative) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String joined = (basePath.endsWith("/") ? basePath : basePath + "/")
                + (relative.startsWith("/") ? relative.substring(1) : relative);
        try {
            return new URI(base.getScheme() + "://" + base.getRawAuthority() + joined).normalize();
        } catch (URISyntaxException e) {
            throw new SensorConfigurationException(
                    "url '" + relative + "' is not a valid relative URL: " + e.getReason());
        }
    }

    private static boolean within(URI base, URI uri) {
        if (!base.getScheme().equalsIgnoreCase(uri.getScheme())
                || !base.getHost().equalsIgnoreCase(uri.getHost())
                || effectivePort(base) != effectivePort(uri)
                || uri.getRawUserInfo() != null) {
            return false;
        }
        String basePath = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (path.contains("/../") || path.endsWith("/..")) {
            return false;
        }
        String dir = basePath.endsWith("/") ? basePath : basePath + "/";
        return path.equals(basePath) || path.startsWith(dir);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public String toString() {
        return "HttpTarget[" + display() + ", headers " + headers.keySet() + "]";
    }
}
