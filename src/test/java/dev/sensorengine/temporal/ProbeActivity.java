package dev.sensorengine.temporal;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** An activity whose attempts a test scripts ({@link ScriptedProbe}). */
@ActivityInterface
public interface ProbeActivity {

    @ActivityMethod(name = "Probe")
    String probe();
}
