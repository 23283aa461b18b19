package dev.sensorengine.workflow;

import java.util.Set;

/**
 * The sensor name a metric is labelled with: one this service's registry knows, or {@link #OTHER}. A task names its
 * sensor freely, and every name would otherwise become a label with a histogram of its own, without bound.
 *
 * @param registered every name the registry answers to ({@code module.Name} and {@code Name})
 */
public record SensorNames(Set<String> registered) {

    /** The label of every sensor the registry does not know. */
    public static final String OTHER = "other";

    public SensorNames {
        registered = Set.copyOf(registered);
    }

    /** {@code module.Name} or {@code Name} as registered, else {@link #OTHER}. */
    public String label(SensorSpec spec) {
        return label(spec.qualifiedName(), spec.sensorName());
    }

    /**
     * @param qualified {@code module.Name}, or a name as a memo or a request gives it
     * @param name the class name alone
     */
    public String label(String qualified, String name) {
        if (registered.contains(qualified)) {
            return qualified;
        }
        return registered.contains(name) ? name : OTHER;
    }
}
