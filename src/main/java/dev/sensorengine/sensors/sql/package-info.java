/**
 * SqlSensor: a read-only, single-statement query against a named JDBC connection, with one HikariCP pool per
 * connection and errors sorted by SQLState into "fix the task" and "try again".
 *
 * <p>May import: {@code sensors}, JDBC, HikariCP. Must not import: Temporal, gRPC, or any package outside
 * {@code sensors}.
 */
package dev.sensorengine.sensors.sql;
