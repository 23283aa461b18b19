package dev.sensorengine.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowIdsTest {

    private static final PokePolicy POLICY =
            new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10), Duration.ofDays(7));
    private static final TaskExecution UNKNOWN = new TaskExecution("", "", "", "", 0);

    private static SensorSpec spec(String path, Instant createdAt) {
        return new SensorSpec(
                "flytekit.sensor.file_sensor", "FileSensor", Map.of(), Map.of("path", path), POLICY, createdAt);
    }

    private static final SensorSpec SPEC = spec("/data/in/_SUCCESS", Instant.parse("2025-01-02T03:04:05Z"));

    @Test
    void namesTheTaskExecutionReadably() {
        TaskExecution execution = new TaskExecution("flytesnacks", "development", "abc123", "n0", 2);

        assertThat(WorkflowIds.of(execution, SPEC)).isEqualTo("flyte-sensor:flytesnacks:development:abc123:n0:2");
        assertThat(WorkflowIds.isSensorId(WorkflowIds.of(execution, SPEC))).isTrue();
    }

    @Test
    void isDeterministicPerTaskExecution() {
        TaskExecution execution = new TaskExecution("p", "d", "e", "n0", 0);
        SensorSpec later = spec("/data/other", Instant.parse("2025-06-01T00:00:00Z"));

        assertThat(WorkflowIds.of(new TaskExecution("p", "d", "e", "n0", 0), later))
                .isEqualTo(WorkflowIds.of(execution, SPEC));
    }

    @Test
    void differsPerRetryAttempt() {
        assertThat(WorkflowIds.of(new TaskExecution("p", "d", "e", "n0", 0), SPEC))
                .isNotEqualTo(WorkflowIds.of(new TaskExecution("p", "d", "e", "n0", 1), SPEC));
    }

    @Test
    void escapesSeparatorsInsideParts() {
        String left = WorkflowIds.of(new TaskExecution("p", "d", "a:b", "c", 0), SPEC);
        String right = WorkflowIds.of(new TaskExecution("p", "d", "a", "b:c", 0), SPEC);

        assertThat(left).isNotEqualTo(right);
        assertThat(left).isEqualTo("flyte-sensor:p:d:a%3Ab:c:0");
        assertThat(WorkflowIds.of(new TaskExecution("p", "d", "a%3Ab", "c", 0), SPEC))
                .isNotEqualTo(left);
    }

    @Test
    void unknownExecutionIsNamedByAHashOfTheSpec() {
        String id = WorkflowIds.of(UNKNOWN, SPEC);

        assertThat(id).matches("flyte-sensor:spec:[0-9a-f]{32}");
        assertThat(WorkflowIds.of(UNKNOWN, spec("/data/in/_SUCCESS", Instant.parse("2030-12-31T23:59:59Z"))))
                .isEqualTo(id);
        assertThat(WorkflowIds.of(UNKNOWN, spec("/data/in/_FAILED", SPEC.createdAt())))
                .isNotEqualTo(id);
        assertThat(WorkflowIds.of(new TaskExecution("p", "d", "", "n0", 0), SPEC))
                .isEqualTo(id);
    }

    @Test
    void recognisesSensorIds() {
        assertThat(WorkflowIds.isSensorId("flyte-sensor:spec:00")).isTrue();
        assertThat(WorkflowIds.isSensorId("flyte-sensor:")).isFalse();
        assertThat(WorkflowIds.isSensorId("payments-cron")).isFalse();
        assertThat(WorkflowIds.isSensorId(null)).isFalse();
    }

    @Test
    void anIdLongerThanTemporalTakesIsAHashOfIt() {
        // Found by ApiFuzzTest: an 80 kB execution name made an id the embedded server could not hand to the worker
        // (and a real Temporal refuses ids over its limit.maxIDLength), so the sensor never ran.
        TaskExecution huge = new TaskExecution("p", "d", "x".repeat(80_000), "n0", 0);
        TaskExecution wide = new TaskExecution("p", "d", "\u00e9".repeat(120), "n0", 0);

        String id = WorkflowIds.of(huge, SPEC);

        assertThat(id).startsWith("flyte-sensor:long:").hasSizeLessThan(60).isEqualTo(WorkflowIds.of(huge, SPEC));
        assertThat(WorkflowIds.of(wide, SPEC)).startsWith("flyte-sensor:long:");
        assertThat(WorkflowIds.isSensorId(id)).isTrue();
        assertThat(WorkflowIds.isSensorId("flyte-sensor:" + "x".repeat(WorkflowIds.MAX_ACCEPTED_LENGTH)))
                .isFalse();
    }

    @Test
    void noIdIsLongerThanAPostgresBackedTemporalStores() {
        // workflow_id VARCHAR(255) in Temporal's SQL schemas, limit.maxIDLength 255 in its SQL dynamic config.
        String prefix = "flyte-sensor:p:d:";
        String suffix = ":n0:0";
        int room = 255 - prefix.length() - suffix.length();
        String longest = WorkflowIds.of(new TaskExecution("p", "d", "e".repeat(room), "n0", 0), SPEC);
        String oneMore = WorkflowIds.of(new TaskExecution("p", "d", "e".repeat(room + 1), "n0", 0), SPEC);
        // Two bytes a character in UTF-8: 130 of them are 260 bytes, though only 130 chars.
        String wide = WorkflowIds.of(new TaskExecution("p", "d", "\u00e9".repeat(130), "n0", 0), SPEC);

        assertThat(WorkflowIds.MAX_LENGTH).isEqualTo(255);
        assertThat(longest).hasSize(255).startsWith(prefix).endsWith(suffix);
        assertThat(oneMore).startsWith("flyte-sensor:long:").hasSizeLessThan(60);
        assertThat(wide).startsWith("flyte-sensor:long:");
    }

    @Test
    void idsOfEarlierReleasesUpToTemporalsDefaultLimitAreStillRecognised() {
        // Readable ids up to 1,000 bytes were issued while that was the limit; their sensors must carry on.
        assertThat(WorkflowIds.isSensorId("flyte-sensor:p:d:" + "e".repeat(600) + ":n0:0"))
                .isTrue();
    }
}
