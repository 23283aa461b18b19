package dev.sensorengine.events;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared secret every push must carry: {@code Authorization: Bearer <token>}, or {@code ?token=<token>} in the
 * URL for senders that cannot set a header (a Pub/Sub push subscription sends its own OIDC token there, not ours).
 * Compared in constant time over SHA-256 digests, so neither the content nor the length of the token leaks through
 * timing.
 */
final class BearerToken {

    static final String QUERY_PARAMETER = "token";
    private static final String BEARER = "bearer ";

    private final byte[] digest;

    private BearerToken(String token) {
        this.digest = sha256(token);
    }

    /**
     * The token in the file, without surrounding white space (a trailing newline is usual).
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it holds no token
     */
    static BearerToken load(Path file) throws IOException {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("cannot read --events-token-file " + file + ": " + e, e);
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("--events-token-file " + file + " is empty; put the token in it");
        }
        return new BearerToken(token);
    }

    /**
     * Whether the request's header or its query parameter carries this token. Either may: a Pub/Sub push sends its
     * own OIDC token in the header and ours in the query. Both are compared, present or not, so that the time taken
     * does not tell which one was tried.
     */
    boolean admits(Map<String, List<String>> headers, String rawQuery) {
        boolean header = matches(fromHeader(headers));
        boolean query = matches(fromQuery(rawQuery));
        return header | query;
    }

    private boolean matches(Optional<String> offered) {
        return MessageDigest.isEqual(digest, sha256(offered.orElse(""))) && offered.isPresent();
    }

    private static Optional<String> fromHeader(Map<String, List<String>> headers) {
        return CloudEventMessages.header(headers, "authorization")
                .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(value -> value.substring(BEARER.length()).strip());
    }

    private static Optional<String> fromQuery(String rawQuery) {
        if (rawQuery == null) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(QUERY_PARAMETER)) {
                try {
                    return Optional.of(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
