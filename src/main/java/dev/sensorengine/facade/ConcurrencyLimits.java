package dev.sensorengine.facade;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most {@code limit} calls of each RPC kind at once; one more is refused at once with RESOURCE_EXHAUSTED rather
 * than queued, so an overloaded replica sheds load (propeller retries) instead of piling up threads.
 */
final class ConcurrencyLimits implements ServerInterceptor {

    private final int limit;
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    ConcurrencyLimits(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the concurrency limit must be at least 1, got " + limit);
        }
        this.limit = limit;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Semaphore semaphore = permits.computeIfAbsent(method, name -> new Semaphore(limit));
        if (!semaphore.tryAcquire()) {
            call.close(
                    Status.RESOURCE_EXHAUSTED.withDescription("more than " + limit + " concurrent "
                            + call.getMethodDescriptor().getBareMethodName() + " calls; retry shortly"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                semaphore.release();
            }
        };
        ServerCall<Q, R> releasing = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                release.run();
                super.close(status, trailers);
            }
        };
        try {
            ServerCall.Listener<Q> listener = next.startCall(releasing, headers);
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                @Override
                public void onCancel() {
                    // The caller gave up (deadline, disconnect): its permit is free again.
                    release.run();
                    super.onCancel();
                }
            };
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }
}
