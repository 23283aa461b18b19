package dev.sensorengine.runtime;

/** What one {@code serve} process runs, so the API and the pokes can be scaled apart. */
public enum Role {
    /** The gRPC facade and the Temporal worker. */
    ALL,
    /** The gRPC facade only; needs no worker, since status comes from Temporal's record. */
    API,
    /** The Temporal worker only; its gRPC port serves health alone. */
    WORKER;

    boolean servesApi() {
        return this != WORKER;
    }

    boolean runsWorker() {
        return this != API;
    }
}
