package dev.sensorengine.sensors;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a sensor waits for, in the terms an event about an object uses: the service stores it with the sensor (as
 * search attributes) so that an event can find the sensors it may concern, and hands it back to {@link
 * Sensor#wokenBy} to decide.
 *
 * @param bucket where the object lives, scheme and bucket ({@link #bucketOf}): the coarse key events look sensors up by
 * @param target the sensor's own spelling of what it waits for, e.g. {@code s3://b/dt=*}
 * @param match how the sensor compares {@code target} with an object, in the sensor's own words (FileSensor: {@code
 *     exact}, {@code prefix} or {@code glob}); {@code exact} means the object must be the target itself
 */
public record EventTarget(String bucket, String target, String match) {

    /** The match that needs no help from the sensor: the object is the target itself. */
    public static final String EXACT = "exact";

    public EventTarget {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(match, "match");
    }

    /**
     * The bucket of an object as events name it: {@code s3://bucket}, {@code gs://bucket}, {@code https://host:port}
     * (scheme and authority) or, for an absolute local path, {@code file:///} and its first directory ({@code
     * file:///data} for {@code /data/in/x}). Empty for anything else. Coarse on purpose: it narrows a lookup, and the
     * sensor's own {@link Sensor#wokenBy} decides.
     */
    public static Optional<String> bucketOf(String object) {
        if (object.startsWith("/")) {
            int slash = object.indexOf('/', 1);
            String first = slash < 0 ? object.substring(1) : object.substring(1, slash);
            return first.isEmpty() ? Optional.empty() : Optional.of("file:///" + first);
        }
        int colon = object.indexOf("://");
        if (colon <= 0) {
            return Optional.empty();
        }
        String scheme = object.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = object.substring(colon + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        if (authority.isEmpty()) {
            return Optional.empty();
        }
        return switch (scheme) {
            case "s3", "gs" -> Optional.of(scheme + "://" + authority);
            case "http", "https" -> httpAuthority(scheme, object);
            default -> Optional.empty();
        };
    }

    /** Host names are case-insensitive and a default port is no port: one server, one bucket. */
    private static Optional<String> httpAuthority(String scheme, String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                return Optional.empty();
            }
            int defaultPort = scheme.equals("https") ? 443 : 80;
            String port = uri.getPort() < 0 || uri.getPort() == defaultPort ? "" : ":" + uri.getPort();
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
