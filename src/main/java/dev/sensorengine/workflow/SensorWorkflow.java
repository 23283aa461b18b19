package dev.sensorengine.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One sensor: pokes until the condition holds, the timeout passes, or it is cancelled. */
@WorkflowInterface
public interface SensorWorkflow {

    /** Workflow type name, stable across refactorings. */
    String TYPE = "FlyteSensor";

    @WorkflowMethod(name = TYPE)
    SensorResult run(SensorSpec spec);

    /** Where the sensor stands, for operators (needs a live worker; the service itself uses describe). */
    @QueryMethod(name = "state")
    SensorState state();
}
