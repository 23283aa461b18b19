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

        int exit = new CommandLine(new BenchCommand())
                .setOut(new PrintWriter(table))
                .execute(
                        "--sensors",
                        "30",
                        "--concurrency",
                        "4",
                        "--rounds",
                        "1",
                        "--interval",
                        "2s",
                        "--duration",
                        "3s",
                        "--load-rate",
                        "20",
                        "--out",
                        out.toString());

        assertThat(exit).as("exit code: zero errors in every phase").isZero();
        JsonNode report = new ObjectMapper().readTree(out.toFile());
        assertThat(report.path("machine").path("cores").asInt()).isPositive();
        assertThat(report.path("options").path("sensors").asInt()).isEqualTo(30);
        assertThat(report.path("results")).hasSize(4);
        for (JsonNode row : report.path("results")) {
            assertThat(row.path("summary").path("calls").asLong()).isEqualTo(30);
            assertThat(row.path("summary").path("errors").asLong()).isZero();
            assertThat(row.path("summary").path("p99").asDouble()).isPositive();
        }
        assertThat(report.path("ratios").findValuesAsText("phase")).containsExactly("create", "get");

        assertThat(report.path("capacity").findValuesAsText("side")).containsExactly("service", "raw");
        for (JsonNode side : report.path("capacity")) {
            assertThat(side.path("pokes").asLong()).as("pokes in the window").isPositive();
            assertThat(side.path("cpu_millis_per_poke").asDouble()).isPositive();
            assertThat(side.path("live_heap_mib").asLong()).isPositive();
        }
        assertThat(report.path("detection").findValuesAsText("side")).containsExactly("service", "raw");
        for (JsonNode side : report.path("detection")) {
            assertThat(side.path("detected").asInt()).isEqualTo(30);
            // Every sensor pokes at least once per 2 s interval, so none can take much longer to see its file.
            assertThat(side.path("max").asDouble()).isPositive().isLessThan(10);
        }
        JsonNode load = report.path("load");
        assertThat(load.path("create").path("calls").asLong()
                        + load.path("get").path("calls").asLong()
                        + load.path("delete").path("calls").asLong())
                .isEqualTo(60);
        assertThat(report.path("targets").findValuesAsText("name"))
                .contains("get p99", "create throughput", "CPU per poke", "detection p99", "errors");
        assertThat(table.toString()).contains("| capacity |", "| detection |", "| load (", "| target |");
    }

    @Test
    void anUnknownPhaseIsRefusedByName() {
        StringWriter errors = new StringWriter();

        int exit = new CommandLine(new BenchCommand())
                .setErr(new PrintWriter(errors))
                .execute("--phases", "create,warp");

        assertThat(exit).isEqualTo(2);
        assertThat(errors.toString()).contains("unknown phase 'warp'");
    }
}
