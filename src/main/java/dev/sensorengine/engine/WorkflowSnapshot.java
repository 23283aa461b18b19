package dev.sensorengine.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What Temporal knows of one sensor workflow, read with describe (and, once it has closed, its close event),
 * reduced to the facts a status needs.
 *
 * @param pokes completed pokes (attempts of the poke activity)
 * @param lastResult the last not-ready reason or poke error, if any poke has failed
 * @param closeMessage the result or failure message once the workflow has closed
 * @param matched what the sensor reported as matched, once it succeeded
 * @param wakes the wake signals the sensor received (its current run's memo)
 * @param lastWake what the latest wake did; empty before the first wake poke
 */
record WorkflowSnapshot(
        String runId,
        State state,
        long pokes,
        Optional<String> lastResult,
        Optional<Instant> lastPoke,
        Optional<Instant> nextPoke,
        Optional<Instant> closeTime,
        String closeMessage,
        Map<String, String> matched,
        long wakes,
        String lastWake) {

    /** Whether the workflow is open, and how it ended once it is not. */
    enum State {
        OPEN,
        COMPLETED,
        FAILED,
        TIMED_OUT,
        CANCELED,
        TERMINATED,
        /** Temporal holds no record of it (past its deadline, so it is not started again). */
        MISSING
    }

    /** A sensor Temporal holds no record of. */
    static WorkflowSnapshot missing() {
        return new WorkflowSnapshot(
                "",
                State.MISSING,
                0,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "",
                Map.of(),
                0,
                "");
    }

    static Optional<Instant> plus(Optional<Instant> start, Optional<Duration> delay) {
        return start.flatMap(s -> delay.map(s::plus));
    }
}
