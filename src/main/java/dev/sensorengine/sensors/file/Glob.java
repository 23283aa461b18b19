package dev.sensorengine.sensors.file;

import dev.sensorengine.sensors.SensorConfigurationException;
import java.util.regex.Pattern;

/**
 * A glob over object keys or paths, with {@code /} as the separator: {@code *} matches within one segment,
 * {@code **} across segments (followed by {@code /} it also matches no segment at all), {@code ?} one
 * character, {@code [abc]} and {@code [!abc]} a character class, {@code {a,b}} alternatives, and a backslash
 * escapes the next character.
 */
public final class Glob {

    private final String glob;
    private final Pattern pattern;
    private final String literalPrefix;

    private Glob(String glob, Pattern pattern, String literalPrefix) {
        this.glob = glob;
        this.pattern = pattern;
        this.literalPrefix = literalPrefix;
    }

    /** @throws SensorConfigurationException when the glob is malformed (an unclosed bracket or brace) */
    public static Glob compile(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder prefix = new StringBuilder();
        boolean literal = true;
        int braces = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 == glob.length()) {
                        throw malformed(glob, "it ends with a lone \\");
                    }
                    char next = glob.charAt(++i);
                    regex.append(Pattern.quote(String.valueOf(next)));
                    if (literal) {
                        prefix.append(next);
                    }
                    continue;
                }
                case '*' -> {
                    if (glob.startsWith("**/", i)) {
                        regex.append("(?:.*/)?");
                        i += 2;
                    } else if (glob.startsWith("**", i)) {
                        regex.append(".*");
                        i++;
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                case '[' -> {
                    int close = glob.indexOf(']', i + 2);
                    if (close < 0) {
                        throw malformed(glob, "a '[' has no closing ']'");
                    }
                    String body = glob.substring(i + 1, close);
                    regex.append('[');
                    if (body.startsWith("!")) {
                        regex.append('^');
                        body = body.substring(1);
                    }
                    regex.append(body.replace("\\", "\\\\").replace("[", "\\[").replace("&", "\\&"))
                            .append(']');
                    i = close;
                }
                case '{' -> {
                    regex.append("(?:");
                    braces++;
                }
                case '}' -> {
                    if (braces == 0) {
                        throw malformed(glob, "a '}' has no opening '{'");
                    }
                    regex.append(')');
                    braces--;
                }
                case ',' -> regex.append(braces > 0 ? "|" : ",");
                default -> {
                    regex.append(Pattern.quote(String.valueOf(c)));
                    if (literal) {
                        prefix.append(c);
                    }
                    continue;
                }
            }
            literal = false;
        }
        if (braces > 0) {
            throw malformed(glob, "a '{' has no closing '}'");
        }
        return new Glob(glob, Pattern.compile(regex.toString()), prefix.toString());
    }

    public boolean matches(String key) {
        return pattern.matcher(key).matches();
    }

    /** The part before the first wildcard: every match starts with it, so a listing can begin there. */
    public String literalPrefix() {
        return literalPrefix;
    }

    @Override
    public String toString() {
        return glob;
    }

    private static SensorConfigurationException malformed(String glob, String why) {
        return new SensorConfigurationException("path '" + glob + "' is not a valid glob: " + why);
    }
}
