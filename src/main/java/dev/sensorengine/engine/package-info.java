/**
 * The sensor engine: create, get, delete, logs and metrics of Flyte sensors, each a Temporal workflow. It turns a
 * task into a {@link dev.sensorengine.workflow.SensorSpec}, owns the workflow id and the {@code resource_meta} format,
 * and reads a workflow's state back into a status with describe, so that {@code get} needs no worker.
 *
 * <p>May import: {@code workflow} (the spec and the workflow type), {@code sensors} (the registry), {@code literals},
 * Temporal's client, and gRPC's status types as the Temporal client raises them. Must not import: {@code facade},
 * {@code runtime}, the generated flyteidl messages (the facade hands it plain values), or a sensor family.
 */
package dev.sensorengine.engine;
