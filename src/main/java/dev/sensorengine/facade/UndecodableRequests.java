package dev.sensorengine.facade;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers a request that protobuf cannot decode with INVALID_ARGUMENT. gRPC itself decodes before any interceptor
 * sees the call and turns a failure into UNKNOWN "Application error processing RPC", which looks like our bug and
 * invites retries; the usual cause is a hostile message nested deeper than protobuf's limit of 100 levels, and
 * resending it can never help.
 */
final class UndecodableRequests {

    private UndecodableRequests() {}

    /** The same service, its requests decoded by a marshaller that reports failure instead of throwing. */
    static ServerServiceDefinition refusedClearly(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            methods.add(wrap(method));
        }
        // Same name and schema, so server reflection still describes the service.
        ServiceDescriptor.Builder descriptor =
                ServiceDescriptor.newBuilder(original.getName()).setSchemaDescriptor(original.getSchemaDescriptor());
        methods.forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
        ServerServiceDefinition.Builder wrapped = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(wrapped::addMethod);
        return wrapped.build();
    }

    /** A request as decoded: the message, or why it could not be read. */
    private sealed interface Decoded<T> {}

    private record Message<T>(T value) implements Decoded<T> {}

    private record Undecodable<T>(Status status) implements Decoded<T> {}

    private static <Q, R> ServerMethodDefinition<Decoded<Q>, R> wrap(ServerMethodDefinition<Q, R> definition) {
        MethodDescriptor<Q, R> original = definition.getMethodDescriptor();
        MethodDescriptor<Decoded<Q>, R> method = original.toBuilder(
                        new DecodingMarshaller<>(original), original.getResponseMarshaller())
                .build();
        ServerCallHandler<Q, R> handler = definition.getServerCallHandler();
        return ServerMethodDefinition.create(method, (call, headers) -> {
            ServerCall.Listener<Q> listener = handler.startCall(new UnwrappedCall<>(call, original), headers);
            return new Listener<>(call, listener);
        });
    }

    private static final class DecodingMarshaller<Q> implements MethodDescriptor.Marshaller<Decoded<Q>> {
        private final MethodDescriptor<Q, ?> method;

        DecodingMarshaller(MethodDescriptor<Q, ?> method) {
            this.method = method;
        }

        @Override
        public InputStream stream(Decoded<Q> value) {
            if (value instanceof Message<Q> message) {
                return method.streamRequest(message.value());
            }
            throw new IllegalStateException("an undecodable request is never sent");
        }

        @Override
        public Decoded<Q> parse(InputStream stream) {
            try {
                return new Message<>(method.parseRequest(stream));
            } catch (RuntimeException e) {
                return new Undecodable<>(Status.INVALID_ARGUMENT.withDescription(
                        "cannot decode the " + method.getBareMethodName() + " request: " + reason(e)));
            }
        }

        // gRPC wraps protobuf's exception; protobuf's message is the reason, its advice to call setRecursionLimit()
        // is for us, not for the caller. Protobuf has no type for "too deep", only this text.
        private static String reason(RuntimeException e) {
            String message = String.valueOf((e.getCause() == null ? e : e.getCause()).getMessage());
            if (message.contains("too many levels of nesting")) {
                return "it nests messages more than 100 levels deep, the most protobuf reads";
            }
            int sentence = message.indexOf(". ");
            return sentence < 0 ? message : message.substring(0, sentence + 1);
        }
    }

    /** Hands decoded messages on; refuses an undecodable one and ignores the rest of that call. */
    private static final class Listener<Q, R> extends ServerCall.Listener<Decoded<Q>> {
        private final ServerCall<Decoded<Q>, R> call;
        private final ServerCall.Listener<Q> delegate;
        private boolean refused;

        Listener(ServerCall<Decoded<Q>, R> call, ServerCall.Listener<Q> delegate) {
            this.call = call;
            this.delegate = delegate;
        }

        @Override
        public void onMessage(Decoded<Q> message) {
            if (refused) {
                return;
            }
            if (message instanceof Message<Q> decoded) {
                delegate.onMessage(decoded.value());
            } else if (message instanceof Undecodable<Q> undecodable) {
                refused = true;
                call.close(undecodable.status(), new Metadata());
            }
        }

        @Override
        public void onHalfClose() {
            // After a refusal the call is closed; the unary handler would otherwise complain of a missing request.
            if (!refused) {
                delegate.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            delegate.onCancel();
        }

        @Override
        public void onComplete() {
            delegate.onComplete();
        }

        @Override
        public void onReady() {
            if (!refused) {
                delegate.onReady();
            }
        }
    }

    /** The call as the service's own handler expects it, with its own method descriptor. */
    private static final class UnwrappedCall<Q, R> extends ServerCall<Q, R> {
        private final ServerCall<Decoded<Q>, R> call;
        private final MethodDescriptor<Q, R> method;

        UnwrappedCall(ServerCall<Decoded<Q>, R> call, MethodDescriptor<Q, R> method) {
            this.call = call;
            this.method = method;
        }

        @Override
        public void request(int numMessages) {
            call.request(numMessages);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            call.sendHeaders(headers);
        }

        @Override
        public void sendMessage(R message) {
            call.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            call.close(status, trailers);
        }

        @Override
        public boolean isCancelled() {
            return call.isCancelled();
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            call.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            call.setCompression(compressor);
        }

        @Override
        public SecurityLevel getSecurityLevel() {
            return call.getSecurityLevel();
        }

        @Override
        public Attributes getAttributes() {
            return call.getAttributes();
        }

        @Override
        public String getAuthority() {
            return call.getAuthority();
        }

        @Override
        public MethodDescriptor<Q, R> getMethodDescriptor() {
            return method;
        }
    }
}
