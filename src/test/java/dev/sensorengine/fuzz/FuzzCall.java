package dev.sensorengine.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.GeneratedMessageV3;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskMetricsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.testing.RawGrpc.Rpc;
import io.grpc.Status.Code;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One generated call: the RPC, how its request bytes are made (some only once the metas issued so far are known),
 * and the statuses it may legitimately end with.
 *
 * @param validCreate a well-formed CreateTask whose sensor must exist, and not have failed, when the run ends
 */
record FuzzCall(String label, Rpc rpc, Body body, Set<Code> allowed, boolean validCreate) {

    /** gRPC's default limit on a received message; a larger request is refused with RESOURCE_EXHAUSTED. */
    static final int MAX_MESSAGE = 4 << 20;

    /** The request's bytes. */
    interface Body {
        byte[] bytes(List<byte[]> issued);
    }

    /** A message encoded as it is; shown shortened, since hostile fields can be a megabyte. */
    record Encoded(Message message) implements Body {
        @Override
        public byte[] bytes(List<byte[]> issued) {
            return message.toByteArray();
        }

        @Override
        public String toString() {
            String text;
            try {
                text = TextFormat.printer().shortDebugString(message);
            } catch (StackOverflowError e) {
                // Nesting meant for the server's parser is too deep for the printer too.
                text = "(nested too deep to print)";
            }
            return "Encoded[" + message.getSerializedSize() + " bytes: "
                    + (text.length() > 1500 ? text.substring(0, 1500) + "…" : text) + "]";
        }
    }

    /** Another body's bytes, mutated. */
    record Mutated(Body base, List<ByteMutation> mutations) implements Body {
        @Override
        public byte[] bytes(List<byte[]> issued) {
            return ByteMutation.applyAll(mutations, base.bytes(issued));
        }
    }

    /** Bytes as they are, no message at all. */
    record Raw(byte[] raw) implements Body {
        @Override
        public byte[] bytes(List<byte[]> issued) {
            return raw;
        }

        @Override
        public String toString() {
            return "Raw" + Arrays.toString(raw);
        }
    }

    /**
     * A GetTask, DeleteTask, GetTaskLogs or GetTaskMetrics request for a meta.
     *
     * @param category what the request routes by
     * @param lines GetTaskLogs only
     * @param queries GetTaskMetrics only
     */
    record TaskCall(Rpc rpc, MetaSource meta, Category category, long lines, List<String> queries) implements Body {
        @Override
        public byte[] bytes(List<byte[]> issued) {
            ByteString meta = ByteString.copyFrom(this.meta.resolve(issued));
            return switch (rpc) {
                case GET ->
                    category.apply(GetTaskRequest.newBuilder().setResourceMeta(meta))
                            .build()
                            .toByteArray();
                case DELETE ->
                    category.apply(DeleteTaskRequest.newBuilder().setResourceMeta(meta))
                            .build()
                            .toByteArray();
                case LOGS ->
                    category.apply(GetTaskLogsRequest.newBuilder()
                                    .setResourceMeta(meta)
                                    .setLines(lines))
                            .build()
                            .toByteArray();
                case METRICS ->
                    category.apply(GetTaskMetricsRequest.newBuilder()
                                    .setResourceMeta(meta)
                                    .addAllQueries(queries))
                            .build()
                            .toByteArray();
                case CREATE -> throw new IllegalStateException("CreateTask has no resource_meta");
            };
        }

        Set<Code> allowed() {
            if (!category.routes()) {
                return category.refusal();
            }
            Set<Code> codes = new HashSet<>(meta.allowed());
            if (rpc == Rpc.METRICS && !PrometheusNames.ALL.containsAll(queries)) {
                // An unknown metric is refused whatever the meta.
                codes.remove(Code.OK);
                codes.add(Code.INVALID_ARGUMENT);
            }
            return codes;
        }
    }

    /** The metric names GetTaskMetrics serves. */
    static final class PrometheusNames {
        static final List<String> ALL = List.of("pokes", "age_seconds");

        private PrometheusNames() {}
    }

    /**
     * How a request names its task category: the current {@code task_category}, the deprecated {@code task_type},
     * both, neither, or one this connector does not serve.
     */
    record Category(boolean hasCategory, String name, int version, String taskType) {

        boolean routes() {
            return hasCategory && !name.isEmpty() ? name.equals("sensor") && version == 0 : taskType.equals("sensor");
        }

        /** Why a request that does not route is refused: no category at all, or someone else's. */
        Set<Code> refusal() {
            boolean named = hasCategory && !name.isEmpty() || !taskType.isEmpty();
            return Set.of(named ? Code.NOT_FOUND : Code.INVALID_ARGUMENT);
        }

        <B extends GeneratedMessageV3.Builder<B>> B apply(B builder) {
            var descriptor = builder.getDescriptorForType();
            builder.setField(descriptor.findFieldByName("task_type"), taskType);
            if (hasCategory) {
                builder.setField(
                        descriptor.findFieldByName("task_category"),
                        TaskCategory.newBuilder()
                                .setName(name)
                                .setVersion(version)
                                .build());
            }
            return builder;
        }
    }

    @Override
    public String toString() {
        return label + " " + rpc + " " + body + " allowed=" + allowed;
    }
}
