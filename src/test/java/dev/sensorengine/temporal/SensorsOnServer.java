package dev.sensorengine.temporal;

import dev.sensorengine.sensors.Sensor;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import dev.sensorengine.workflow.SensorWorkflow;
import dev.sensorengine.workflow.SensorWorkflowImpl;
import dev.sensorengine.workflow.poke.PokeActivityImpl;
import dev.sensorengine.workflow.poke.PokeRunner;
import dev.sensorengine.workflow.poke.RateLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The sensor workflow and the poke activity, as the service's worker runs them, on a server under test, with the
 * sensors a test gives; sensors start as the engine starts them (execution timeout: the time left plus an hour).
 */
final class SensorsOnServer {

    /** The engine's margin on the workflow execution timeout (engine.SensorEngine). */
    static final Duration EXECUTION_TIMEOUT_SLACK = Duration.ofHours(1);

    private final TemporalUnderTest temporal;

    private SensorsOnServer(TemporalUnderTest temporal) {
        this.temporal = temporal;
    }

    /** Starts a worker with the sensor workflow and the poke activity over {@code sensors}. */
    SensorsOnServer(TemporalUnderTest temporal, Sensor... sensors) {
        this.temporal = temporal;
        Worker worker = temporal.worker();
        worker.registerWorkflowImplementationTypes(SensorWorkflowImpl.class);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        worker.registerActivitiesImplementations(new PokeActivityImpl(
                new PokeRunner(
                        new SensorRegistry(List.of(sensors)),
                        new SensorEnvironment(List.of()),
                        RateLimits.none(),
                        Duration.ZERO,
                        metrics),
                metrics,
                Clock.systemUTC()));
        temporal.start();
    }

    /** Starts sensors on a queue whose worker the test has set up itself. */
    static SensorsOnServer startingOnly(TemporalUnderTest temporal) {
        return new SensorsOnServer(temporal);
    }

    /** Starts {@code spec} under the workflow id {@code id}, as the engine does. */
    WorkflowStub start(String id, SensorSpec spec) {
        return start(id, spec, remaining(spec).plus(EXECUTION_TIMEOUT_SLACK));
    }

    /** Starts {@code spec} with an execution timeout of the test's choosing. */
    WorkflowStub start(String id, SensorSpec spec, Duration executionTimeout) {
        WorkflowStub stub = temporal.client()
                .newUntypedWorkflowStub(
                        SensorWorkflow.TYPE,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(temporal.queue())
                                .setWorkflowId(id + "-" + temporal.queue())
                                .setWorkflowExecutionTimeout(executionTimeout)
                                .build());
        stub.start(spec);
        return stub;
    }

    /**
     * A spec for the sensor named {@code sensor}, created now. Its input names the sensor: the poke runner shares
     * pokes of one sensor class with equal inputs, and a test's scripted sensors are all of one class.
     */
    static SensorSpec spec(String sensor, PokePolicy policy) {
        return new SensorSpec("tests", sensor, Map.of(), Map.of("path", "/" + sensor), policy, Instant.now());
    }

    static PokePolicy policy(Duration interval, Backoff backoff, Duration maxInterval, Duration timeout) {
        return new PokePolicy(interval, backoff, maxInterval, timeout);
    }

    private static Duration remaining(SensorSpec spec) {
        Duration left = Duration.between(Instant.now(), spec.deadline());
        return left.isNegative() ? Duration.ZERO : left;
    }
}
