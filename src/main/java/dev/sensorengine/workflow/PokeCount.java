package dev.sensorengine.workflow;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * How a sensor workflow learns how many pokes its pending poke activity has made: the server retries it without
 * telling the workflow, and the workflow needs the figure only when it ends by a wake poke or continues as new. A
 * local activity of the workflow's own worker, which asks Temporal (describe).
 */
@ActivityInterface
public interface PokeCount {

    /**
     * @return the attempts that the workflow run's pending poke activity (the one with the most attempts) has
     *     finished, or 0 when it has none
     */
    @ActivityMethod(name = "PendingPokes")
    long pendingPokes(String workflowId, String runId);
}
