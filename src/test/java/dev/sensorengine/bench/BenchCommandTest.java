package dev.sensorengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A tiny run of the benchmark, to prove the tool works and writes complete output; not a measurement. */
class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void aTinyRunMeasuresBothSidesOfEveryPhaseAndWritesItAll() throws Exception {
        Path out = dir.resolve("bench.json");
        StringWriter table = new StringWriter();

        int exit = new CommandLine(new BenchCommand()).setOut(new PrintWriter(table))
                .execute("--sensors", "50", "--concurrency", "4", "--rounds", "1", "--out", out.toString());

        assertThat(exit).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toFile());
        assertThat(report.path("machine").path("cores").asInt()).isPositive();
        assertThat(report.path("options").path("sensors").asInt()).isEqualTo(50);
        assertThat(report.path("results")).hasSize(4);
        for (JsonNode row : report.path("results")) {
            assertThat(row.path("summary").path("calls").asLong()).isEqualTo(50);
            assertThat(row.path("summary").path("errors").asLong()).isZero();
            assertThat(row.path("summary").path("p99").asDouble()).isPositive();
        }
        assertThat(report.path("ratios")).hasSize(2);
        assertThat(report.path("ratios").findValuesAsText("phase")).containsExactly("create", "get");
    }
}
