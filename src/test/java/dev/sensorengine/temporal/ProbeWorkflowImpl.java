package dev.sensorengine.temporal;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;

/** Runs the probe activity once, with unlimited retries under the given intervals. */
public final class ProbeWorkflowImpl implements ProbeWorkflow {

    @Override
    public String run(Options options) {
        ActivityOptions.Builder activity = ActivityOptions.newBuilder()
                .setStartToCloseTimeout(options.startToClose())
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(options.initialInterval())
                        .setMaximumInterval(options.maximumInterval())
                        .setBackoffCoefficient(2.0)
                        .setMaximumAttempts(0)
                        .build());
        if (!options.scheduleToClose().isZero()) {
            activity.setScheduleToCloseTimeout(options.scheduleToClose());
        }
        return Workflow.newActivityStub(ProbeActivity.class, activity.build()).probe();
    }
}
