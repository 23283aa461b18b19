package dev.sensorengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.grpc.Status;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A failed call in the benchmark is reported with what failed it: the status code a side answered, and its message. */
class FailuresReportTest {

    @Test
    void failuresAreCountedByTheirStatusCodeWithTheFirstMessageOfEach() {
        Latencies latencies = new Latencies(10);
        latencies.record(1_000_000);
        latencies.fail(Status.UNAVAILABLE
                .withDescription("Temporal did not answer: DEADLINE_EXCEEDED\nafter 4.99 s")
                .asRuntimeException());
        latencies.fail(Status.UNAVAILABLE.withDescription("later").asRuntimeException());
        // The Temporal client wraps the status the server answered.
        latencies.fail(new WorkflowServiceException(
                WorkflowExecution.getDefaultInstance(),
                "Sensor",
                Status.RESOURCE_EXHAUSTED
                        .withDescription("namespace rate limit")
                        .asRuntimeException()));
        latencies.fail(new IllegalStateException("not detected within PT1M"));

        Latencies.Summary summary = latencies.summary(1);

        assertThat(summary.calls()).isEqualTo(1);
        assertThat(summary.errors()).isEqualTo(4);
        assertThat(summary.failures())
                .containsOnlyKeys("UNAVAILABLE", "RESOURCE_EXHAUSTED", "IllegalStateException")
                .containsEntry(
                        "UNAVAILABLE",
                        new Latencies.Failures(
                                2, "UNAVAILABLE: Temporal did not answer: DEADLINE_EXCEEDED after 4.99 s"));
        assertThat(summary.failures().get("RESOURCE_EXHAUSTED").first()).contains("namespace rate limit");
        assertThat(summary.failuresText())
                .isEqualTo("IllegalStateException ×1 (first: not detected within PT1M); "
                        + "RESOURCE_EXHAUSTED ×1 (first: "
                        + summary.failures().get("RESOURCE_EXHAUSTED").first()
                        + "); UNAVAILABLE ×2 (first: UNAVAILABLE: Temporal did not answer: DEADLINE_EXCEEDED after "
                        + "4.99 s)");
    }

    @Test
    void theReportListsEachRunWithFailuresInItsTableAndItsJson() {
        Latencies failing = new Latencies(3);
        failing.record(2_000_000);
        failing.fail(Status.UNAVAILABLE.withDescription("a | b").asRuntimeException());
        Latencies clean = new Latencies(3);
        clean.record(2_000_000);
        Report report = new Report(Map.of(), Map.of(), Map.of(), Duration.ofMinutes(1), Duration.ofSeconds(30));
        report.add(new Report.CallRow("create", Report.SERVICE, 1, failing.summary(1), Map.of(), 1.0, 0));
        report.add(new Report.CallRow("create", Report.RAW, 1, clean.summary(1), Map.of(), 1.0, 0));

        assertThat(report.failures())
                .extracting(Report.FailureRow::phase, Report.FailureRow::side, Report.FailureRow::errors)
                .containsExactly(tuple("create round 1", Report.SERVICE, 1L));
        assertThat(report.markdown())
                .contains("| failures | side | failed | by kind (the first message of each) |")
                .contains("| create round 1 | service | 1 | UNAVAILABLE ×1 (first: UNAVAILABLE: a \\| b) |");
        assertThat(report.json()).containsKey("failures");
        assertThat(report.errors(Report.SERVICE)).isEqualTo(1);
        assertThat(report.errors(Report.RAW)).isZero();
    }
}
