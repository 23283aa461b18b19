package dev.sensorengine.sensors.file;

/** What one look at a store found: the first thing that matched, or why nothing did. */
public sealed interface Lookup {

    record Found(StoredObject object) implements Lookup {}

    /** @param reason one line for a person, e.g. "s3://b/k does not exist" */
    record Missing(String reason) implements Lookup {}

    static Lookup found(StoredObject object) {
        return new Found(object);
    }

    static Lookup missing(String reason) {
        return new Missing(reason);
    }
}
