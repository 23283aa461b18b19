package dev.sensorengine.literals;

/**
 * Thrown for a Flyte literal the connector cannot take. The message names the input (when known),
 * the literal kind and what the workflow author can do about it, because it ends up in front of
 * the author as the task's failure message.
 */
public final class UnsupportedLiteralException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String input;
    private final String kind;

    /**
     * @param input the input name or path inside it (e.g. {@code files[2]}), or null if unknown
     * @param kind short name of the literal kind, e.g. {@code binary}
     * @param advice what to do instead, as a sentence
     */
    public UnsupportedLiteralException(String input, String kind, String advice) {
        super(message(input, kind, advice));
        this.input = input;
        this.kind = kind;
    }

    /** The input name or path, or null when the literal was converted without a name. */
    public String input() {
        return input;
    }

    /** Short name of the rejected literal kind, e.g. {@code binary}, {@code offloaded}. */
    public String kind() {
        return kind;
    }

    private static String message(String input, String kind, String advice) {
        String subject = input == null ? "A literal" : "Input '" + input + "'";
        String article = "aeiou".indexOf(kind.isEmpty() ? 'x' : kind.charAt(0)) >= 0 ? " is an " : " is a ";
        return subject + article + kind + " literal, which the sensor connector does not support: " + advice;
    }
}
