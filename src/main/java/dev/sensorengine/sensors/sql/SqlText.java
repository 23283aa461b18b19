package dev.sensorengine.sensors.sql;

import dev.sensorengine.sensors.SensorConfigurationException;

/**
 * The one check SqlSensor makes on a query's text: it must be a single statement. A {@code ;} is allowed inside
 * a {@code '...'} string, a {@code "..."} identifier, a PostgreSQL {@code $$...$$} or {@code $tag$...$tag$}
 * string, a {@code -- ...} comment or a block comment, and at the very end (with only blanks or comments after
 * it); anywhere else the query is refused. This is a lexical check, not a parser: it keeps a task from stacking
 * statements, while what one statement may do is bounded by the read-only transaction it runs in.
 */
final class SqlText {

    private SqlText() {}

    /**
     * The query without surrounding blanks and its trailing {@code ;}.
     *
     * @throws SensorConfigurationException when it is empty or holds more than one statement
     */
    static String singleStatement(String query) {
        int end = -1;
        int i = 0;
        int n = query.length();
        while (i < n) {
            char c = query.charAt(i);
            if (c == '\'' || c == '"') {
                i = closing(query, i, c);
            } else if (c == '-' && i + 1 < n && query.charAt(i + 1) == '-') {
                int newline = query.indexOf('\n', i);
                i = newline < 0 ? n : newline + 1;
            } else if (c == '/' && i + 1 < n && query.charAt(i + 1) == '*') {
                int close = query.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == '$' && dollarTag(query, i) != null) {
                String tag = dollarTag(query, i);
                int close = query.indexOf(tag, i + tag.length());
                i = close < 0 ? n : close + tag.length();
            } else if (c == ';') {
                if (end >= 0) {
                    throw twoStatements(end);
                }
                end = i;
                i++;
            } else {
                if (end >= 0 && !Character.isWhitespace(c)) {
                    throw twoStatements(end);
                }
                i++;
            }
        }
        String statement = (end >= 0 ? query.substring(0, end) : query).strip();
        if (statement.isEmpty()) {
            throw new SensorConfigurationException("input 'query' holds no SQL statement");
        }
        return statement;
    }

    /** The index after the quote that closes the one at {@code start}; a doubled quote is an escaped one. */
    private static int closing(String query, int start, char quote) {
        int i = start + 1;
        while (i < query.length()) {
            if (query.charAt(i) == quote) {
                if (i + 1 < query.length() && query.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return query.length();
    }

    /** {@code $$} or {@code $tag$} starting at {@code start}, else null (a {@code $1} parameter, say). */
    private static String dollarTag(String query, int start) {
        if (start > 0 && (Character.isLetterOrDigit(query.charAt(start - 1)) || query.charAt(start - 1) == '_')) {
            return null; // a '$' inside an identifier such as price$eur
        }
        int i = start + 1;
        while (i < query.length()
                && (Character.isLetter(query.charAt(i))
                        || query.charAt(i) == '_'
                        || (i > start + 1 && Character.isDigit(query.charAt(i))))) {
            i++;
        }
        if (i < query.length() && query.charAt(i) == '$') {
            return query.substring(start, i + 1);
        }
        return null;
    }

    private static SensorConfigurationException twoStatements(int position) {
        return new SensorConfigurationException(
                "input 'query' must be one SQL statement, but it goes on after the ';' " + "at character "
                        + (position + 1) + "; a sensor runs a single read-only query (a trailing ';' is fine)");
    }
}
