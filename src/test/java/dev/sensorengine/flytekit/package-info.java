/**
 * Sensor Engine against flytekit itself: the requests flytekit 1.16 writes for sensor tasks (fixtures from
 * {@code compat/flytekit_fixtures.py}, which the build's {@code flytekit-fixtures} profile runs with the tool venv's
 * pinned flytekit) sent byte for byte through the real service over gRPC on the real Temporal dev server
 * ({@code FlytekitFixturesTest}), and the same requests sent to flytekit's own connector ({@code pyflyte serve
 * connector}, a process of its own) and to ours, side by side ({@code FlytekitParityTest}; the table is
 * {@code docs/flytekit-parity.md}).
 *
 * <p>Without the tool venv these tests are skipped, saying why; under CI ({@code CI=true}) they fail instead.
 */
package dev.sensorengine.flytekit;
