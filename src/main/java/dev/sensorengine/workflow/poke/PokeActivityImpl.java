package dev.sensorengine.workflow.poke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.workflow.FailureTypes;
import dev.sensorengine.workflow.PokeActivity;
import dev.sensorengine.workflow.SensorNames;
import dev.sensorengine.workflow.SensorResult;
import dev.sensorengine.workflow.SensorSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.DataConverterException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pokes the sensor once and turns what it found into the activity's outcome ({@link PokeDecision}): return when ready,
 * a retryable failure with the next delay when not, a non-retryable one when the task is wrong. The error streak
 * travels from attempt to attempt in the heartbeat details, which it records only when the streak changes.
 */
public final class PokeActivityImpl implements PokeActivity {

    private final PokeRunner pokes;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final SensorNames names;

    public PokeActivityImpl(PokeRunner pokes, MeterRegistry metrics, Clock clock) {
        this.pokes = pokes;
        this.names = pokes.names();
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public SensorResult poke(SensorSpec spec) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        ActivityInfo info = context.getInfo();
        int attempt = info.getAttempt();
        ErrorStreak streak = streak(context);
        String pokeId = info.getWorkflowId() + "/" + info.getRunId() + "/" + info.getActivityId();
        Timer.Sample sample = Timer.start(metrics);
        PokeOutcome outcome = pokeOnce(pokeId, spec, isWakePoke(info));
        PokeDecision decision = PokeDecision.of(
                spec.policy(),
                attempt,
                streak,
                outcome,
                ThreadLocalRandom.current().nextDouble(),
                Duration.between(clock.instant(), spec.deadline()));
        String sensorName = names.label(spec);
        sample.stop(Timer.builder("sensor.poke.latency")
                .tag("sensor", sensorName)
                .publishPercentileHistogram()
                .register(metrics));
        metrics.counter("sensor.pokes", "sensor", sensorName, "result", decision.result())
                .increment();
        decision.heartbeat().ifPresent(context::heartbeat);
        if (outcome instanceof PokeOutcome.Ready ready) {
            return new SensorResult(ready.message(), ready.details(), clock.instant(), attempt);
        }
        throw decision.failure();
    }

    /**
     * A wake poke (contract/poke-activity.md): one whose "not ready" is final, which only the workflow's poke for an
     * event asks for. It looks afresh, since an event says the answer may just have changed.
     */
    static boolean isWakePoke(ActivityInfo info) {
        RetryOptions retry = info.getRetryOptions();
        String[] notRetried = retry == null ? null : retry.getDoNotRetry();
        return notRetried != null && Arrays.asList(notRetried).contains(FailureTypes.NOT_READY);
    }

    private PokeOutcome pokeOnce(String pokeId, SensorSpec spec, boolean fresh) {
        try {
            PokeResult result = pokes.poke(
                    pokeId,
                    spec.sensorModule(),
                    spec.sensorName(),
                    new PokeRequest(spec.inputs(), spec.config()),
                    fresh);
            if (result instanceof PokeResult.Ready ready) {
                return new PokeOutcome.Ready(ready.message(), ready.details());
            }
            return new PokeOutcome.NotReady(((PokeResult.NotReady) result).reason());
        } catch (SensorConfigurationException e) {
            return new PokeOutcome.Misconfigured(e.getMessage());
        } catch (PokeDeferredException e) {
            return new PokeOutcome.Deferred(e.getMessage(), e.waitTime());
        } catch (Exception e) {
            return new PokeOutcome.Failed(e.getClass().getSimpleName(), e.getMessage());
        }
    }

    /** The streak of the last attempt that recorded one; details that do not decode start a new streak. */
    private static ErrorStreak streak(ActivityExecutionContext context) {
        try {
            return ErrorStreak.fromDetails(
                    context.getHeartbeatDetails(JsonNode.class).orElse(null));
        } catch (DataConverterException e) {
            return ErrorStreak.NONE;
        }
    }
}
