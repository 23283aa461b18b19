package dev.sensorengine.sensors.http;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Which connection headers may be sent: the client sets framing and routing headers itself. */
final class Headers {

    /** Headers that would change framing or routing (a Host header could point the request at another site). */
    private static final Set<String> RESTRICTED = Set.of(
            "connection", "content-length", "expect", "host", "upgrade", "transfer-encoding", "te", "keep-alive");

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private Headers() {}

    /** False for a restricted name, a name that is not an HTTP token, or a value with a line break. */
    static boolean sendable(String name, String value) {
        return TOKEN.matcher(name).matches()
                && !RESTRICTED.contains(name.toLowerCase(Locale.ROOT))
                && value.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0);
    }
}
