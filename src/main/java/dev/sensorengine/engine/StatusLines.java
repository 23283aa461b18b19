package dev.sensorengine.engine;

import dev.sensorengine.sensors.DurationText;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Words and figures for people: the status line, {@code custom_info}, the Temporal UI link and the log lines. */
final class StatusLines {

    /** A poke this late is not a busy worker but a missing one. */
    private static final Duration OVERDUE = Duration.ofSeconds(30);

    private final EngineSettings settings;
    private final Clock clock;

    StatusLines(EngineSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    SensorStatus status(ResourceMeta meta, WorkflowSnapshot snapshot) {
        return status(meta, snapshot, Optional.empty());
    }

    /** @param unpolledQueue the task queue the sensor's pokes wait on with no worker polling it, when that is so */
    SensorStatus status(ResourceMeta meta, WorkflowSnapshot snapshot, Optional<String> unpolledQueue) {
        Instant now = clock.instant();
        SensorSpec spec = meta.spec();
        Phase phase = switch (snapshot.state()) {
            case OPEN -> Phase.RUNNING;
            case COMPLETED -> Phase.SUCCEEDED;
            case FAILED, TIMED_OUT, MISSING -> Phase.FAILED;
            case CANCELED, TERMINATED -> Phase.ABORTED;
        };
        String message = switch (snapshot.state()) {
            case OPEN ->
                unpolledQueue
                        .map(queue -> noWorkerLine(spec, snapshot, now, queue))
                        .orElseGet(() -> waitingLine(spec, snapshot, now));
            case COMPLETED -> "succeeded: " + snapshot.closeMessage();
            case FAILED, TIMED_OUT -> "failed: " + snapshot.closeMessage();
            case CANCELED -> "aborted: the sensor was cancelled";
            case TERMINATED -> "aborted: " + snapshot.closeMessage();
            case MISSING ->
                "failed: Temporal holds no record of this sensor, and its deadline " + spec.deadline()
                        + " has passed: it ended and its record expired (the namespace's retention is shorter than the "
                        + "sensor's timeout), so its outcome is unknown";
        };
        Map<String, String> info = new LinkedHashMap<>();
        info.put("workflow_id", meta.workflowId());
        info.put("run_id", snapshot.runId());
        info.put("sensor", spec.qualifiedName());
        if (spec.pokeTaskQueue() != null) {
            info.put("poke_task_queue", spec.pokeTaskQueue());
        }
        info.put("pokes", Long.toString(snapshot.pokes()));
        snapshot.lastPoke().ifPresent(t -> info.put("last_poke_time", t.toString()));
        snapshot.lastResult().ifPresent(r -> info.put("last_poke_result", r));
        snapshot.nextPoke().ifPresent(t -> info.put("next_poke_time", t.toString()));
        info.put("created_at", spec.createdAt().toString());
        info.put("deadline", spec.deadline().toString());
        if (spec.wakeAt() != null) {
            info.put("wake_at", spec.wakeAt().toString());
        }
        if (snapshot.wakes() > 0) {
            info.put("wakes", Long.toString(snapshot.wakes()));
        }
        snapshot.closeTime().ifPresent(t -> info.put("ended_at", t.toString()));
        snapshot.matched().forEach((key, value) -> info.put("matched_" + key, value));
        return new SensorStatus(phase, message, info, "Temporal workflow", link(meta.workflowId(), snapshot.runId()));
    }

    /**
     * What GetTask says while Temporal is unreachable: RUNNING, because nothing is known to have changed, with a
     * message that says the state is unknown and for how long Temporal has not answered.
     */
    SensorStatus unreachable(ReadMeta read, String outputPrefix, Duration down) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("workflow_id", read.workflowId(outputPrefix));
        info.put("temporal_unreachable_for", DurationText.format(wholeSeconds(down)));
        if (read instanceof ReadMeta.Issued issued) {
            info.put("sensor", issued.meta().spec().qualifiedName());
            info.put("created_at", issued.meta().spec().createdAt().toString());
            info.put("deadline", issued.meta().spec().deadline().toString());
        }
        String message = "state unknown: Temporal unreachable for " + DurationText.format(wholeSeconds(down))
                + "; the sensor itself is safe in Temporal and carries on when it is back";
        return new SensorStatus(Phase.RUNNING, message, info, "Temporal workflow", Optional.empty());
    }

    List<LogEntry> log(ResourceMeta meta, WorkflowSnapshot snapshot) {
        SensorSpec spec = meta.spec();
        PokePolicy policy = spec.policy();
        List<LogEntry> entries = new ArrayList<>();
        entries.add(new LogEntry(
                spec.createdAt(),
                "started sensor=" + spec.qualifiedName() + " inputs=" + spec.inputs()
                        + " interval=" + DurationText.format(policy.interval())
                        + " backoff=" + policy.backoff().name().toLowerCase(Locale.ROOT)
                        + " max_interval=" + DurationText.format(policy.maxInterval())
                        + " timeout=" + DurationText.format(policy.timeout())
                        + " deadline=" + spec.deadline()
                        + " workflow_id=" + meta.workflowId()));
        snapshot.lastResult()
                .ifPresent(result -> entries.add(new LogEntry(
                        snapshot.lastPoke().orElse(spec.createdAt()),
                        "poke " + snapshot.pokes() + ": " + result
                                + snapshot.nextPoke()
                                        .map(next -> "; next poke at " + next)
                                        .orElse(""))));
        if (snapshot.wakes() > 0) {
            // Every wake is in the workflow's Temporal history (a wake signal, then its poke); the log sums them up.
            entries.add(new LogEntry(
                    snapshot.lastPoke().orElse(spec.createdAt()),
                    "woken " + snapshot.wakes() + (snapshot.wakes() == 1 ? " time" : " times") + " by events"
                            + (snapshot.lastWake().isEmpty() ? "" : "; latest " + snapshot.lastWake())));
        }
        snapshot.closeTime()
                .ifPresent(closed -> entries.add(
                        new LogEntry(closed, "ended " + status(meta, snapshot).message())));
        return entries;
    }

    private String waitingLine(SensorSpec spec, WorkflowSnapshot snapshot, Instant now) {
        String timesOut = "times out in " + DurationText.format(wholeSeconds(Duration.between(now, spec.deadline())));
        if (spec.wakeAt() != null) {
            return "waiting until " + spec.wakeAt() + " (in "
                    + DurationText.format(wholeSeconds(Duration.between(now, spec.wakeAt()))) + ", a timer: no pokes)";
        }
        if (snapshot.pokes() == 0 && snapshot.lastResult().isEmpty()) {
            return "waiting: " + spec.qualifiedName() + " is starting or finishing; a worker takes its next step ("
                    + timesOut + ")";
        }
        String next = snapshot.nextPoke().map(t -> nextPoke(now, t)).orElse("");
        return "waiting: " + snapshot.lastResult().orElse("not ready") + " (poke " + snapshot.pokes() + next + ", "
                + timesOut + ")";
    }

    /**
     * A sensor whose pokes wait on a task queue that no worker polls: Temporal holds them until a Python sensor worker
     * polls that queue, and the deadline still ends the sensor.
     */
    private String noWorkerLine(SensorSpec spec, WorkflowSnapshot snapshot, Instant now, String queue) {
        String timesOut = "times out in " + DurationText.format(wholeSeconds(Duration.between(now, spec.deadline())));
        String waiting = "waiting for a Python sensor worker on task queue " + queue + " \u2014 none is polling";
        if (snapshot.pokes() == 0 && snapshot.lastResult().isEmpty()) {
            return waiting + " (" + timesOut + ")";
        }
        return waiting + "; last poke: " + snapshot.lastResult().orElse("not ready") + " (poke " + snapshot.pokes()
                + ", " + timesOut + ")";
    }

    /** When the next poke is due; one long overdue means no worker is taking the sensor's pokes. */
    private static String nextPoke(Instant now, Instant next) {
        Duration late = Duration.between(next, now);
        if (late.compareTo(OVERDUE) > 0) {
            return ", next poke overdue by " + DurationText.format(wholeSeconds(late)) + ": is a worker running?";
        }
        return ", next in " + DurationText.format(wholeSeconds(Duration.between(now, next)));
    }

    private Optional<String> link(String workflowId, String runId) {
        String base = settings.temporalUiUrl().replaceAll("/+$", "");
        if (base.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(base + "/namespaces/" + encode(settings.namespace()) + "/workflows/" + encode(workflowId)
                + (runId.isEmpty() ? "" : "/" + encode(runId) + "/history"));
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Rounded up to a whole second, never negative: a status line that changes only when something happened. */
    private static Duration wholeSeconds(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0));
    }
}
