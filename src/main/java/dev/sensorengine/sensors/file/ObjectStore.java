package dev.sensorengine.sensors.file;

/**
 * One kind of place FileSensor can watch: local files, S3, GCS or HTTP. Implementations are thread-safe and
 * hold their clients; one look is one (or, for a glob, a few) calls to the store.
 */
public interface ObjectStore {

    /**
     * Looks once for {@code location} under {@code match}.
     *
     * @throws dev.sensorengine.sensors.SensorConfigurationException when the task is wrong (a malformed location,
     *     a match the store cannot do) or access is denied
     * @throws Exception for transient trouble (network, throttling, server errors): the poke is retried
     */
    Lookup find(String location, Match match) throws Exception;
}
