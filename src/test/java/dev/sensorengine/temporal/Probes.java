package dev.sensorengine.temporal;

import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import java.time.Duration;

/** Runs a {@link ScriptedProbe} under the {@link ProbeWorkflow} on a server under test. */
final class Probes {

    private Probes() {}

    /**
     * Starts the workers with {@code probe}, runs the workflow to its end and returns its result.
     *
     * @throws io.temporal.client.WorkflowFailedException when the activity (and so the workflow) failed
     */
    static String run(
            TemporalUnderTest temporal, ScriptedProbe probe, ProbeWorkflow.Options options, Duration executionTimeout) {
        Worker worker = temporal.worker();
        worker.registerWorkflowImplementationTypes(ProbeWorkflowImpl.class);
        worker.registerActivitiesImplementations(probe);
        temporal.start();
        return temporal.client()
                .newWorkflowStub(
                        ProbeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(temporal.queue())
                                .setWorkflowId("probe-" + temporal.queue())
                                .setWorkflowExecutionTimeout(executionTimeout)
                                .build())
                .run(options);
    }

    /** Retries at {@code initial}, doubling up to {@code maximum}, attempts of at most 10 s, no schedule-to-close. */
    static ProbeWorkflow.Options retries(Duration initial, Duration maximum) {
        return new ProbeWorkflow.Options(initial, maximum, Duration.ZERO, Duration.ofSeconds(10));
    }
}
