package dev.sensorengine.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Small helpers for the engine's asynchronous calls. */
final class Stages {

    private Stages() {}

    /** What went wrong, without the wrappers that futures put around it. */
    static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Rethrows a failure inside a stage's function, unwrapped and unchanged. */
    static RuntimeException rethrown(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new CompletionException(cause);
    }

    /** The stage {@code body} returns; one that throws before it has a stage fails the stage instead. */
    static <T> CompletableFuture<T> of(Supplier<CompletableFuture<T>> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
