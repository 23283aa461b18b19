package dev.sensorengine.temporal;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * A workflow that runs one {@link ProbeActivity} with the options it is given and returns its result (or fails with
 * its failure): the smallest thing that shows how the server retries an activity.
 */
@WorkflowInterface
public interface ProbeWorkflow {

    /**
     * The activity's options.
     *
     * @param scheduleToClose zero for none
     */
    record Options(
            Duration initialInterval, Duration maximumInterval, Duration scheduleToClose, Duration startToClose) {}

    @WorkflowMethod(name = "Probe")
    String run(Options options);
}
