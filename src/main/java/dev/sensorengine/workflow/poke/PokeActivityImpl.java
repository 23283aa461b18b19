package dev.sensorengine.workflow.poke;

import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.workflow.FailureTypes;
import dev.sensorengine.workflow.PokeActivity;
import dev.sensorengine.workflow.PokeSchedule;
import dev.sensorengine.workflow.SensorResult;
import dev.sensorengine.workflow.SensorSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pokes the sensor once and turns the result into the activity's outcome: return when ready, a retryable
 * failure with the next delay when not, a non-retryable one when the task is wrong.
 */
public final class PokeActivityImpl implements PokeActivity {

    private final PokeRunner pokes;
    private final MeterRegistry metrics;
    private final Clock clock;

    public PokeActivityImpl(PokeRunner pokes, MeterRegistry metrics, Clock clock) {
        this.pokes = pokes;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public SensorResult poke(SensorSpec spec) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        int attempt = context.getInfo().getAttempt();
        // Carried from attempt to attempt in the heartbeat details, so errors back off on their own streak.
        int previousErrors = context.getHeartbeatDetails(Integer.class).orElse(0);
        PokeSchedule schedule = new PokeSchedule(spec.policy());
        Timer.Sample sample = Timer.start(metrics);
        String result = "error";
        try {
            PokeResult outcome =
                    pokes.poke(spec.sensorModule(), spec.sensorName(), new PokeRequest(spec.inputs(), spec.config()));
            if (outcome instanceof PokeResult.Ready ready) {
                result = "ready";
                return new SensorResult(ready.message(), ready.details(), clock.instant(), attempt);
            }
            result = "not_ready";
            context.heartbeat(0);
            PokeResult.NotReady notReady = (PokeResult.NotReady) outcome;
            throw ApplicationFailure.newFailureWithCauseAndDelay(
                    notReady.reason(),
                    FailureTypes.NOT_READY,
                    null,
                    schedule.afterNotReady(attempt, ThreadLocalRandom.current().nextDouble()));
        } catch (SensorConfigurationException e) {
            result = "configuration_error";
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.CONFIGURATION);
        } catch (ApplicationFailure e) {
            throw e;
        } catch (Exception e) {
            int errors = previousErrors + 1;
            context.heartbeat(errors);
            Duration delay =
                    schedule.afterError(errors, ThreadLocalRandom.current().nextDouble());
            throw ApplicationFailure.newFailureWithCauseAndDelay(
                    "poke error (" + errors + " in a row): " + describe(e), FailureTypes.POKE_ERROR, null, delay);
        } finally {
            String sensorName = spec.qualifiedName();
            sample.stop(Timer.builder("sensor.poke.latency")
                    .tag("sensor", sensorName)
                    .publishPercentileHistogram()
                    .register(metrics));
            metrics.counter("sensor.pokes", "sensor", sensorName, "result", result)
                    .increment();
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
