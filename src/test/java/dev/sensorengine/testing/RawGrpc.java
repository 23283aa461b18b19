package dev.sensorengine.testing;

import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Calls the AsyncAgentService with request bytes exactly as given, so that the server's own parser meets
 * whatever a fuzzer made, including bytes that are no valid message at all.
 */
public final class RawGrpc {

    /** The RPCs of the AsyncAgentService that a fuzzer calls. */
    public enum Rpc {
        CREATE(AsyncAgentServiceGrpc.getCreateTaskMethod()),
        GET(AsyncAgentServiceGrpc.getGetTaskMethod()),
        DELETE(AsyncAgentServiceGrpc.getDeleteTaskMethod()),
        LOGS(AsyncAgentServiceGrpc.getGetTaskLogsMethod()),
        METRICS(AsyncAgentServiceGrpc.getGetTaskMetricsMethod());

        private final MethodDescriptor<byte[], byte[]> raw;

        Rpc(MethodDescriptor<?, ?> typed) {
            raw = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(typed.getType())
                    .setFullMethodName(typed.getFullMethodName())
                    .setRequestMarshaller(BYTES)
                    .setResponseMarshaller(BYTES)
                    .build();
        }
    }

    /** How a call ended: its status and the response messages it got before that. */
    public record Outcome(Status.Code code, String description, List<byte[]> responses) {

        @Override
        public String toString() {
            return code + (description == null ? "" : ": " + description);
        }
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private final Channel channel;
    private final Duration deadline;

    /** @param deadline of every call; propeller gives each call 10 s */
    public RawGrpc(Channel channel, Duration deadline) {
        this.channel = channel;
        this.deadline = deadline;
    }

    public Outcome call(Rpc rpc, byte[] request) {
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
        List<byte[]> responses = new ArrayList<>();
        try {
            if (rpc.raw.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
                Iterator<byte[]> stream = ClientCalls.blockingServerStreamingCall(channel, rpc.raw, options, request);
                stream.forEachRemaining(responses::add);
            } else {
                responses.add(ClientCalls.blockingUnaryCall(channel, rpc.raw, options, request));
            }
            return new Outcome(Status.Code.OK, null, responses);
        } catch (StatusRuntimeException e) {
            return new Outcome(e.getStatus().getCode(), e.getStatus().getDescription(), responses);
        }
    }
}
