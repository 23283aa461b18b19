package dev.sensorengine.workflow;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * One poke per attempt. Not ready is a retryable failure with an explicit next delay, so the server's
 * retries are the poll loop and a sensor's history does not grow while it waits.
 */
@ActivityInterface
public interface PokeActivity {

    @ActivityMethod(name = "Poke")
    SensorResult poke(SensorSpec spec);
}
