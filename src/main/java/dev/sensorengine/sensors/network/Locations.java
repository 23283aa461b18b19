package dev.sensorengine.sensors.network;

import java.util.Locale;
import java.util.Optional;

/**
 * What a sensor's location ({@code s3://bucket/key}, {@code https://host/path}, a local path) names: its scheme
 * and the system it reaches, the key of rate limits and shared pokes.
 */
public final class Locations {

    private Locations() {}

    /** The scheme in lower case; {@code file} for {@code file:} URIs, empty for a plain local path. */
    public static String scheme(String location) {
        if (location.startsWith("file:")) {
            return "file";
        }
        int end = location.indexOf("://");
        return end > 0 ? location.substring(0, end).toLowerCase(Locale.ROOT) : "";
    }

    /** The bucket (s3, gs) or host (http) a location reaches; empty for local paths. */
    public static Optional<String> endpoint(String location) {
        String scheme = scheme(location);
        if (scheme.isEmpty() || scheme.equals("file")) {
            return Optional.empty();
        }
        String rest = location.substring(scheme.length() + 3);
        int end = 0;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(0, end);
        if (scheme.startsWith("http")) {
            authority = authority.substring(authority.lastIndexOf('@') + 1); // never user information
        }
        return authority.isEmpty() ? Optional.empty() : Optional.of(authority.toLowerCase(Locale.ROOT));
    }
}
