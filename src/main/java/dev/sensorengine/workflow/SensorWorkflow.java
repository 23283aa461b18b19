package dev.sensorengine.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One sensor: pokes until the condition holds, the timeout passes, or it is cancelled. */
@WorkflowInterface
public interface SensorWorkflow {

    /** Workflow type name, stable across refactorings. */
    String TYPE = "FlyteSensor";

    /** Memo key: pokes that the pending poke's attempts do not count (earlier runs', wake pokes). */
    String MEMO_POKES_CARRIED = "pokes_carried";
    /** Memo key: wake signals received, all runs together. */
    String MEMO_WAKES = "wakes";
    /** Memo key: what the latest wake did, for the sensor's log. */
    String MEMO_LAST_WAKE = "last_wake";

    /** The signal that wakes a waiting sensor. */
    String WAKE = "wake";

    /**
     * @param spec the sensor
     * @param carried what an earlier run of the same sensor carried on when it continued as new; null (absent) for
     *     the first run, which the engine starts with the spec alone
     */
    @WorkflowMethod(name = TYPE)
    SensorResult run(SensorSpec spec, SensorCarry carried);

    /**
     * An event says an object the sensor waits for now exists: poke at once (unless a poke made since the event
     * answers it), then go back to the schedule. Ignored by timer sensors and by runs started before this signal
     * existed.
     */
    @SignalMethod(name = WAKE)
    void wake(WakeSignal signal);

    /** Where the sensor stands, for operators (needs a live worker; the service itself uses describe). */
    @QueryMethod(name = "state")
    SensorState state();
}
