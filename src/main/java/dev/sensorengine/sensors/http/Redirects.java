package dev.sensorengine.sensors.http;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which redirects a call follows, by hand so that each target is checked like the first: 301, 302, 303, 307
 * and 308 with a Location to http(s); never from https to http (as the JDK's {@code Redirect.NORMAL}).
 */
final class Redirects {

    private static final Set<Integer> FOLLOWED = Set.of(301, 302, 303, 307, 308);

    private Redirects() {}

    /** Where {@code answer} sends the caller, or empty when it is not a redirect to follow. */
    static Optional<URI> next(URI from, HttpAnswer answer) {
        if (!FOLLOWED.contains(answer.status())) {
            return Optional.empty();
        }
        Optional<String> location = answer.headers().firstValue("Location");
        if (location.isEmpty()) {
            return Optional.empty();
        }
        URI to;
        try {
            to = from.resolve(location.get().trim()).normalize();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        boolean web = scheme.equals("http") || scheme.equals("https");
        boolean downgrade = from.getScheme().equalsIgnoreCase("https") && scheme.equals("http");
        if (!web || downgrade || to.getHost() == null) {
            return Optional.empty();
        }
        return Optional.of(to);
    }

    /** 303, and 301 or 302 after a POST, continue with GET (HEAD stays HEAD); 307 and 308 keep the method. */
    static String method(int status, String method) {
        if (method.equals("HEAD")) {
            return method;
        }
        if (status == 303 || (status == 301 || status == 302) && method.equals("POST")) {
            return "GET";
        }
        return method;
    }
}
