package dev.sensorengine.facade;

import dev.sensorengine.engine.InvalidRequestException;
import dev.sensorengine.engine.TemporalUnavailableException;
import dev.sensorengine.literals.UnsupportedLiteralException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns what went wrong into the gRPC status a caller can act on; a caller's mistake is never INTERNAL. */
final class Statuses {

    private static final Logger log = LoggerFactory.getLogger(Statuses.class);

    private Statuses() {
    }

    static StatusRuntimeException of(Throwable error) {
        if (error instanceof StatusRuntimeException status) {
            return status;
        }
        if (error instanceof InvalidRequestException || error instanceof UnsupportedLiteralException) {
            return Status.INVALID_ARGUMENT.withDescription(error.getMessage()).asRuntimeException();
        }
        if (error instanceof TemporalUnavailableException) {
            return Status.UNAVAILABLE.withDescription(error.getMessage()).asRuntimeException();
        }
        log.error("unexpected error serving a request", error);
        return Status.INTERNAL.withDescription("internal error: " + error).asRuntimeException();
    }
}
