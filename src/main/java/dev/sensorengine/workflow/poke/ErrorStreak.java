package dev.sensorengine.workflow.poke;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The error streak one poke carries to the next in the poke activity's heartbeat details, {@code {"errors_in_row": 2,
 * "errors_total": 5}}: Temporal keeps an activity's last heartbeat details across its retries, and every poke is a
 * retry, so these details are a poke's only memory of the pokes before it (contract/poke-activity.md).
 *
 * @param errorsInRow poke errors since the last poke that was not one
 * @param errorsTotal poke errors over the activity's life
 */
public record ErrorStreak(int errorsInRow, int errorsTotal) {

    /** No errors yet: what an attempt reads when no attempt before it heartbeat. */
    public static final ErrorStreak NONE = new ErrorStreak(0, 0);

    public ErrorStreak {
        if (errorsInRow < 0 || errorsTotal < errorsInRow) {
            throw new IllegalArgumentException("an error streak needs 0 <= errors in a row <= errors in total, got "
                    + errorsInRow + " and " + errorsTotal);
        }
    }

    /**
     * The streak in heartbeat details as recorded: the object above; a bare integer {@code n}, which workers before the
     * streak rule heartbeat (errors in a row after an error, 0 after a not-ready poke), as {@code n} in a row and in
     * total, so a sensor mid-streak across an upgrade keeps backing off; anything else (none, not an object, counts
     * that are not non-negative integers, more in a row than in total) as {@link #NONE}. A lost streak costs a shorter
     * wait, never a sensor.
     */
    public static ErrorStreak fromDetails(JsonNode details) {
        if (details == null) {
            return NONE;
        }
        if (isCount(details)) {
            return new ErrorStreak(details.intValue(), details.intValue());
        }
        if (details.isObject()) {
            JsonNode inRow = details.get("errors_in_row");
            JsonNode total = details.get("errors_total");
            if (isCount(inRow) && isCount(total) && inRow.intValue() <= total.intValue()) {
                return new ErrorStreak(inRow.intValue(), total.intValue());
            }
        }
        return NONE;
    }

    /** After a not-ready poke: the streak ends, the total stays. */
    public ErrorStreak afterNotReady() {
        return new ErrorStreak(0, errorsTotal);
    }

    /** After a poke error: one more in a row and in total. */
    public ErrorStreak afterError() {
        return new ErrorStreak(errorsInRow + 1, errorsTotal + 1);
    }

    private static boolean isCount(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToInt() && node.intValue() >= 0;
    }
}
