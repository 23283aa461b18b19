package dev.sensorengine.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sets a property's number of tries from the system property {@code fuzz.tries} (default {@link #DEFAULT}), so CI
 * runs a quick sample and a long run is one {@code -Dfuzz.tries=10000} away.
 */
public final class FuzzTries implements AroundPropertyHook {

    /** Tries when {@code fuzz.tries} is not set: a few seconds of calls, enough to touch every kind of request. */
    static final int DEFAULT = 400;

    static int configured() {
        return Integer.getInteger("fuzz.tries", DEFAULT);
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        context.attributes().setTries(configured());
        return property.execute();
    }
}
