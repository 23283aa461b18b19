package dev.sensorengine.bench;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.Optional;

/**
 * One side of the benchmark, doing a sensor's life the way it measures it: the service through its gRPC API, raw
 * Temporal calls of the same workflow, or flytekit's own connector through the same gRPC API. Every call throws on
 * failure, and the workload counts it as an error.
 */
interface BenchSide {

    /** "service", "raw" or "flytekit". */
    String name();

    /** Starts a FileSensor waiting for {@code path} (a URL of the watched system), with the side's poke interval. */
    BenchSensor create(String tag, int index, String path);

    /**
     * Reads the sensor's state: GetTask for the service (a describe in Temporal) and for flytekit (which pokes the
     * target there and then), DescribeWorkflowExecution for raw.
     */
    Observation observe(BenchSensor sensor);

    /** Deletes the sensor as propeller does: DeleteTask, or a cancellation request for raw. */
    void delete(BenchSensor sensor);

    /** Ends the sensor at once (terminate, no worker involved), to clear a round's sensors before the next. */
    void discard(BenchSensor sensor);

    /** A sensor one side created: for raw its workflow id, for the connectors the resource_meta propeller keeps. */
    record BenchSensor(String workflowId, ByteString resourceMeta) {}

    /**
     * What one read of a sensor showed.
     *
     * @param succeeded the sensor found its condition true
     * @param nextPoke when it pokes next, while it runs and the server knows
     */
    record Observation(boolean succeeded, Optional<Instant> nextPoke) {}
}
