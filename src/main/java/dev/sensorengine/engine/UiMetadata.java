package dev.sensorengine.engine;

import dev.sensorengine.sensors.DurationText;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.sdk.v1.UserMetadata;
import io.temporal.common.converter.DataConverter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Temporal UI shows of a sensor from its start request's user metadata, on the workflow page's User Metadata
 * tab (UI 2.54; also in the Workflow Execution Started event): a one-line summary (the sensor and what it waits for)
 * and details in Temporal's markdown (target, poke schedule, timeout and deadline, Flyte execution). Both are fixed
 * at start; what changes (the poke count, the latest result, the next poke) is the page's pending Poke activity.
 *
 * <p>Payloads are strings through the service's data converter ({@code json/plain}), as the SDKs write a static
 * summary, and UI 2.54 renders them. They are kept within the server's dynamic-config limits on user metadata,
 * {@code limit.userMetadataSummarySize} (400) and {@code limit.userMetadataDetailsSize} (20,000), in bytes of the
 * serialized payload. The dev server 1.32.0 accepted a 30 kB summary and 100 kB details on a start request
 * (measured); a server that applies the limits there refuses the start with INVALID_ARGUMENT.
 */
final class UiMetadata {

    static final int MAX_SUMMARY_BYTES = 400;
    static final int MAX_DETAILS_BYTES = 20_000;
    private static final Pattern BACKTICKS = Pattern.compile("`+");

    private UiMetadata() {}

    /** From the sensor's spec and its memo (see {@code SensorEngine.memo}: sensor, target, Flyte execution). */
    static UserMetadata of(SensorSpec spec, Map<String, Object> memo, DataConverter converter) {
        return UserMetadata.newBuilder()
                .setSummary(fit(summary(spec, memo), MAX_SUMMARY_BYTES, converter))
                .setDetails(fit(details(spec, memo), MAX_DETAILS_BYTES, converter))
                .build();
    }

    /** {@code FileSensor: s3://b/k}. */
    static String summary(SensorSpec spec, Map<String, Object> memo) {
        Object target = memo.get("target");
        return target == null ? spec.sensorName() : spec.sensorName() + ": " + oneLine(target.toString());
    }

    static String details(SensorSpec spec, Map<String, Object> memo) {
        PokePolicy policy = spec.policy();
        StringBuilder out = new StringBuilder();
        Object target = memo.get("target");
        out.append("**")
                .append(spec.sensorName())
                .append("** waits for ")
                .append(target == null ? "its condition" : code(target.toString()))
                .append("\n\n");
        out.append("- **Sensor:** ").append(code(spec.qualifiedName())).append('\n');
        Object execution = memo.get("flyte_execution");
        if (execution != null) {
            out.append("- **Flyte execution:** ").append(code(execution.toString()));
            if (memo.get("flyte_node") != null) {
                out.append(", node ").append(code(memo.get("flyte_node").toString()));
            }
            if (memo.get("flyte_retry_attempt") != null) {
                out.append(", retry attempt ").append(memo.get("flyte_retry_attempt"));
            }
            out.append('\n');
        }
        if (spec.wakeAt() != null) {
            out.append("- **Fires at:** ").append(spec.wakeAt()).append(" (a durable timer: no pokes)\n");
        } else {
            out.append("- **Pokes:** ").append(schedule(policy)).append('\n');
            out.append("- **Next poke:** tab *Pending Activities*, activity `Poke`: *Next Retry* says when, *Attempt* ")
                    .append("which poke it will be, *Last Failure* what the latest poke found\n");
        }
        out.append("- **Timeout:** ")
                .append(DurationText.format(policy.timeout()))
                .append(" from creation at ")
                .append(spec.createdAt())
                .append('\n');
        out.append("- **Deadline:** ").append(spec.deadline()).append('\n');
        if (execution != null) {
            out.append("- **This Flyte execution's sensors:** ")
                    .append(code("FlyteExecution = \"" + execution + "\""))
                    .append('\n');
        }
        return out.toString();
    }

    private static String schedule(PokePolicy policy) {
        String interval = DurationText.format(policy.interval());
        String max = DurationText.format(policy.maxInterval());
        return switch (policy.backoff()) {
            case FIXED -> "every " + interval + " (fixed); after a poke error, backing off up to " + max;
            case EXPONENTIAL -> "from every " + interval + ", doubling up to " + max + " (exponential backoff)";
        };
    }

    /** A markdown code span holding {@code text} whatever backticks it has, so that nothing in it is markup. */
    private static String code(String text) {
        String line = oneLine(text);
        int longest = 0;
        Matcher run = BACKTICKS.matcher(line);
        while (run.find()) {
            longest = Math.max(longest, run.group().length());
        }
        String fence = "`".repeat(longest + 1);
        String pad = longest > 0 ? " " : "";
        return fence + pad + line + pad + fence;
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ");
    }

    /** The text as a payload of at most {@code maxBytes} serialized, shortened (whole code points) when needed. */
    static Payload fit(String text, int maxBytes, DataConverter converter) {
        Payload whole = converter.toPayload(text).orElseThrow();
        if (whole.getSerializedSize() <= maxBytes) {
            return whole;
        }
        // The longest prefix that fits with its ellipsis: payload size grows with the prefix, so search for it.
        int fits = 0;
        int tooLong = text.codePointCount(0, text.length());
        Payload best = converter.toPayload("\u2026").orElseThrow();
        while (tooLong - fits > 1) {
            int middle = (fits + tooLong) >>> 1;
            Payload candidate = converter
                    .toPayload(text.substring(0, text.offsetByCodePoints(0, middle)) + "\u2026")
                    .orElseThrow();
            if (candidate.getSerializedSize() <= maxBytes) {
                fits = middle;
                best = candidate;
            } else {
                tooLong = middle;
            }
        }
        return best;
    }
}
