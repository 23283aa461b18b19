package dev.sensorengine.engine;

/**
 * Upper bounds on what one request may carry, so that a hostile or broken client cannot exhaust memory or the
 * stack, or push payloads into Temporal that it would refuse later. A request over one of our own limits can never
 * succeed, so it is refused with {@link InvalidRequestException} (INVALID_ARGUMENT, not retried) and a message that
 * names the limit and the {@code serve} flag that sets it.
 *
 * <p>The defaults are far above any real Flyte sensor task (a handful of inputs, each a path, URI, query or small
 * dict, nested a few levels) and keep what reaches Temporal well under its payload limits: a self-hosted Temporal
 * warns from 256 KB and refuses a payload over 2 MB by default, and propeller keeps {@code resource_meta} in the
 * workflow's CRD, which etcd caps at 1.5 MiB. A spec of at most 128 KiB (the workflow's input) and a meta of at
 * most 256 KiB stay under all of them with room to spare.
 *
 * @param maxMessageSize bytes of one inbound gRPC message; gRPC itself refuses more with RESOURCE_EXHAUSTED
 * @param maxInputs literals in the inputs {@code LiteralMap} of a CreateTask
 * @param maxInputSize serialized bytes of one input literal
 * @param maxLiteralDepth nesting levels of one input (literal collections, maps, unions, Struct values and lists)
 *     or of {@code TaskTemplate.custom}
 * @param maxResourceMetaSize bytes of the {@code resource_meta} of Get, Delete, GetTaskLogs and GetTaskMetrics
 * @param maxSpecSize bytes of the JSON sensor spec a workflow is started with
 */
public record RequestLimits(
        int maxMessageSize,
        int maxInputs,
        int maxInputSize,
        int maxLiteralDepth,
        int maxResourceMetaSize,
        int maxSpecSize) {

    // The flags are constants so that ServeCommand declares its options with them and messages cannot drift.
    public static final String MAX_MESSAGE_SIZE = "--max-message-size";
    public static final String MAX_INPUTS = "--max-inputs";
    public static final String MAX_INPUT_SIZE = "--max-input-size";
    public static final String MAX_LITERAL_DEPTH = "--max-literal-depth";
    public static final String MAX_RESOURCE_META_SIZE = "--max-resource-meta-size";
    public static final String MAX_SPEC_SIZE = "--max-spec-size";

    /**
     * A {@code resource_meta} is the spec plus the namespace and workflow id (Temporal caps each at 1,000
     * characters), so its limit must leave this much room above the spec's, or a meta we issue could be refused.
     */
    public static final int RESOURCE_META_HEADROOM = 16 * 1024;

    /** gRPC's own default message size, 64 inputs of up to 64 KiB, 32 levels, 256 KiB metas and 128 KiB specs. */
    public static final RequestLimits DEFAULTS =
            new RequestLimits(4 * 1024 * 1024, 64, 64 * 1024, 32, 256 * 1024, 128 * 1024);

    /** Longest input name quoted in a message; a hostile name must not blow up the status trailer. */
    private static final int NAME_SHOWN = 80;

    /** @throws IllegalArgumentException naming the flag of a limit that is not positive or is inconsistent */
    public RequestLimits {
        positive(MAX_MESSAGE_SIZE, maxMessageSize);
        positive(MAX_INPUTS, maxInputs);
        positive(MAX_INPUT_SIZE, maxInputSize);
        positive(MAX_LITERAL_DEPTH, maxLiteralDepth);
        positive(MAX_RESOURCE_META_SIZE, maxResourceMetaSize);
        positive(MAX_SPEC_SIZE, maxSpecSize);
        if ((long) maxSpecSize + RESOURCE_META_HEADROOM > maxResourceMetaSize) {
            throw new IllegalArgumentException(
                    MAX_RESOURCE_META_SIZE + " (" + maxResourceMetaSize + ") must be at least "
                            + MAX_SPEC_SIZE + " (" + maxSpecSize + ") plus " + RESOURCE_META_HEADROOM
                            + " bytes: a resource_meta carries the spec");
        }
    }

    /** @throws InvalidRequestException when a CreateTask has more than {@link #maxInputs} inputs */
    public void checkInputCount(int count) {
        if (count > maxInputs) {
            throw over("the task has " + count + " inputs", maxInputs, MAX_INPUTS);
        }
    }

    /** @throws InvalidRequestException when one input serializes to more than {@link #maxInputSize} bytes */
    public void checkInputSize(String name, long bytes) {
        if (bytes > maxInputSize) {
            throw over("input '" + shown(name) + "' is " + bytes + " bytes", maxInputSize, MAX_INPUT_SIZE);
        }
    }

    /**
     * @param subject what nests, e.g. {@code input 'cfg'} or {@code TaskTemplate.custom}
     * @throws InvalidRequestException when it nests deeper than {@link #maxLiteralDepth}
     */
    public void checkDepth(String subject, int depth) {
        if (depth > maxLiteralDepth) {
            throw over(subject + " nests " + depth + " levels deep", maxLiteralDepth, MAX_LITERAL_DEPTH);
        }
    }

    /** {@link #checkDepth} for one named input. */
    public void checkInputDepth(String name, int depth) {
        checkDepth("input '" + shown(name) + "'", depth);
    }

    /** @throws InvalidRequestException when a resource_meta is larger than {@link #maxResourceMetaSize} */
    public void checkResourceMetaSize(int bytes) {
        if (bytes > maxResourceMetaSize) {
            throw over("resource_meta is " + bytes + " bytes", maxResourceMetaSize, MAX_RESOURCE_META_SIZE);
        }
    }

    /** @throws InvalidRequestException when the sensor spec's JSON is larger than {@link #maxSpecSize} */
    public void checkSpecSize(String sensor, long bytes) {
        if (bytes > maxSpecSize) {
            throw new InvalidRequestException(
                    "the spec of sensor " + shown(sensor) + " (its inputs and sensor_config) is "
                            + bytes + " bytes of JSON, over the limit of " + maxSpecSize + " (" + MAX_SPEC_SIZE
                            + "); pass smaller values, or a FlyteFile that points at the data");
        }
    }

    private static InvalidRequestException over(String what, int limit, String flag) {
        return new InvalidRequestException(what + ", over the limit of " + limit + " (" + flag + ")");
    }

    private static String shown(String name) {
        return name.length() <= NAME_SHOWN ? name : name.substring(0, NAME_SHOWN) + "…";
    }

    private static void positive(String flag, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(flag + " must be greater than 0, got " + value);
        }
    }
}
