package dev.sensorengine.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The probe activity as a test scripts it: each attempt is handed to {@link Script}, which returns the result or throws
 * the failure, and is recorded with its start time and the heartbeat details it read.
 */
final class ScriptedProbe implements ProbeActivity {

    /** One attempt as the activity sees it. */
    record Attempt(int number, Instant startedAt, Optional<JsonNode> details) {}

    /** What the attempt does. */
    interface Script {
        String run(Attempt attempt, ActivityExecutionContext context);
    }

    private final Script script;
    final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    ScriptedProbe(Script script) {
        this.script = script;
    }

    @Override
    public String probe() {
        ActivityExecutionContext context = Activity.getExecutionContext();
        Attempt attempt =
                new Attempt(context.getInfo().getAttempt(), Instant.now(), context.getHeartbeatDetails(JsonNode.class));
        attempts.add(attempt);
        return script.run(attempt, context);
    }

    /** The time between the starts of attempt {@code n} and {@code n + 1}, in milliseconds. */
    long gapMillis(int n) {
        return attempts.get(n).startedAt().toEpochMilli()
                - attempts.get(n - 1).startedAt().toEpochMilli();
    }
}
