package dev.sensorengine.facade;

import dev.sensorengine.engine.InvalidRequestException;
import dev.sensorengine.engine.TemporalRefusedException;
import dev.sensorengine.engine.TemporalUnavailableException;
import dev.sensorengine.literals.UnsupportedLiteralException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns what went wrong into the gRPC status a caller can act on; a caller's mistake is never INTERNAL. */
final class Statuses {

    private static final Logger log = LoggerFactory.getLogger(Statuses.class);

    private Statuses() {}

    /**
     * The most a status description may take on the wire. It travels percent-encoded in an HTTP/2 trailer, and
     * clients refuse header lists over 8 KiB (grpc-java and grpc-go both), which turns the status into INTERNAL.
     */
    static final int MAX_DESCRIPTION_BYTES = 4096;

    static StatusRuntimeException of(Throwable error) {
        return bounded(mapped(error));
    }

    private static StatusRuntimeException mapped(Throwable error) {
        if ((error instanceof CompletionException || error instanceof ExecutionException) && error.getCause() != null) {
            return mapped(error.getCause()); // how an asynchronous call's failure arrives
        }
        if (error instanceof StatusRuntimeException status) {
            return status;
        }
        if (error instanceof InvalidRequestException || error instanceof UnsupportedLiteralException) {
            return Status.INVALID_ARGUMENT.withDescription(error.getMessage()).asRuntimeException();
        }
        if (error instanceof TemporalUnavailableException) {
            return Status.UNAVAILABLE.withDescription(error.getMessage()).asRuntimeException();
        }
        if (error instanceof TemporalRefusedException refused) {
            Status status = switch (refused.reason()) {
                case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
                case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
                case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
                case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
                case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
            };
            return status.withDescription(error.getMessage()).asRuntimeException();
        }
        log.error("unexpected error serving a request", error);
        return Status.INTERNAL.withDescription("internal error: " + error).asRuntimeException();
    }

    /** Descriptions quote what the caller sent, which can be megabytes: cut to what a client accepts. */
    private static StatusRuntimeException bounded(StatusRuntimeException error) {
        String description = error.getStatus().getDescription();
        String shortened = description == null ? null : shorten(description);
        return shortened == null || shortened.equals(description)
                ? error
                : error.getStatus().withDescription(shortened).asRuntimeException(error.getTrailers());
    }

    /** The text, cut with an ellipsis where its percent-encoded form would pass {@link #MAX_DESCRIPTION_BYTES}. */
    static String shorten(String text) {
        int room = MAX_DESCRIPTION_BYTES - encodedSize('\u2026');
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            used += encodedSize(codePoint);
            if (used > room) {
                return text.substring(0, i) + "\u2026";
            }
            i += Character.charCount(codePoint);
        }
        return text;
    }

    /** gRPC sends printable ASCII as it is and percent-encodes every UTF-8 byte of anything else. */
    private static int encodedSize(int codePoint) {
        if (codePoint >= 0x20 && codePoint < 0x7f && codePoint != '%') {
            return 1;
        }
        int utf8 = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
        return 3 * utf8;
    }
}
