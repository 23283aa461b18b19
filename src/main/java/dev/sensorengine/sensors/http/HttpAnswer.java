package dev.sensorengine.sensors.http;

import java.net.http.HttpHeaders;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP answer with at most the first bytes of its body that the caller asked for.
 *
 * @param truncated true when the body was longer than what was kept
 */
public record HttpAnswer(int status, HttpHeaders headers, byte[] body, boolean truncated) {

    public HttpAnswer {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as text, in the charset of its Content-Type (UTF-8 when it names none or an unknown one). */
    public String text() {
        Charset charset =
                headers.firstValue("Content-Type").flatMap(HttpAnswer::charset).orElse(StandardCharsets.UTF_8);
        return new String(body, charset);
    }

    private static Optional<Charset> charset(String contentType) {
        return Arrays.stream(contentType.split(";"))
                .map(String::trim)
                .filter(part -> part.toLowerCase(Locale.ROOT).startsWith("charset="))
                .map(part -> part.substring("charset=".length()).replace("\"", ""))
                .filter(Charset::isSupported)
                .map(Charset::forName)
                .findFirst();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpAnswer answer
                && status == answer.status
                && headers.equals(answer.headers)
                && Arrays.equals(body, answer.body)
                && truncated == answer.truncated;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "HttpAnswer[" + status + ", " + body.length + " bytes" + (truncated ? ", truncated" : "") + "]";
    }
}
