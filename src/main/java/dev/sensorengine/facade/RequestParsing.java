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
 * Parses each request of a service in the call's handler rather than in grpc-java's transport, so that bytes that
 * are no valid message (truncated, corrupted, nested past protobuf's limit) end the call with INVALID_ARGUMENT. Left
 * to grpc-java, a request its marshaller cannot parse ends as UNKNOWN "Application error processing RPC" and a
 * SEVERE stack trace in the log, which tells the caller nothing and the operator something false.
 */
final class RequestParsing {

    /** Hands the received bytes on unparsed; the handler below parses them. */
    private static final MethodDescriptor.Marshaller<InputStream> AS_RECEIVED = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    };

    private RequestParsing() {
    }

    /** The same service, name, schema and handlers, with requests parsed by the handler. */
    static ServerServiceDefinition of(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        List<ServerMethodDefinition<InputStream, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            methods.add(parsing(method));
        }
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        methods.forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
        ServerServiceDefinition.Builder rebuilt = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(rebuilt::addMethod);
        return rebuilt.build();
    }

    private static <Q, R> ServerMethodDefinition<InputStream, R> parsing(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> typed = method.getMethodDescriptor();
        MethodDescriptor<InputStream, R> raw = typed.toBuilder(AS_RECEIVED, typed.getResponseMarshaller()).build();
        ServerCallHandler<Q, R> handler = method.getServerCallHandler();
        return ServerMethodDefinition.create(raw, (call, headers) ->
                new ParsingListener<>(typed, call, handler.startCall(new TypedCall<>(typed, call), headers)));
    }

    /** Parses each message for the typed listener; after a message that does not parse, the call is over. */
    private static final class ParsingListener<Q, R> extends ServerCall.Listener<InputStream> {
        private final MethodDescriptor<Q, R> typed;
        private final ServerCall<InputStream, R> call;
        private final ServerCall.Listener<Q> delegate;
        private boolean refused;

        ParsingListener(MethodDescriptor<Q, R> typed, ServerCall<InputStream, R> call, ServerCall.Listener<Q> delegate) {
            this.typed = typed;
            this.call = call;
            this.delegate = delegate;
        }

        @Override
        public void onMessage(InputStream message) {
            if (refused) {
                return;
            }
            Q request;
            try {
                request = typed.parseRequest(message);
            } catch (RuntimeException e) {
                refused = true;
                call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
                        + typed.getBareMethodName() + " request message: " + reason(e)), new Metadata());
                return;
            }
            delegate.onMessage(request);
        }

        @Override
        public void onHalfClose() {
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

        /** The parser's own words (e.g. "had too many levels of nesting"), not the marshaller's wrapper. */
        private static String reason(RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
    }

    /** The call as the typed handler expects it: every operation is the raw call's, the descriptor the typed one. */
    private static final class TypedCall<Q, R> extends ServerCall<Q, R> {
        private final MethodDescriptor<Q, R> typed;
        private final ServerCall<InputStream, R> call;

        TypedCall(MethodDescriptor<Q, R> typed, ServerCall<InputStream, R> call) {
            this.typed = typed;
            this.call = call;
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
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public boolean isCancelled() {
            return call.isCancelled();
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
        public void setOnReadyThreshold(int numBytes) {
            call.setOnReadyThreshold(numBytes);
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
            return typed;
        }
    }
}
