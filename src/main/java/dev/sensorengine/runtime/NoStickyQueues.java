package dev.sensorengine.runtime;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;

/**
 * Keeps the embedded server from routing a workflow's next task to the sticky queue of the worker that ran its last
 * one. The SDK's test server never times such a task out, so after a worker is killed its sensors would wait for a
 * dead process forever; a real Temporal server moves the task after a few seconds. Without stickiness any worker
 * takes the task, which costs a sensor workflow nothing: it runs one workflow task at its start and one at its end.
 */
final class NoStickyQueues implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            @SuppressWarnings("unchecked")
            public void onMessage(Q message) {
                if (message instanceof RespondWorkflowTaskCompletedRequest completed
                        && completed.hasStickyAttributes()) {
                    message = (Q) completed.toBuilder().clearStickyAttributes().build();
                }
                super.onMessage(message);
            }
        };
    }
}
