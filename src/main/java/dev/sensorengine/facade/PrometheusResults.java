package dev.sensorengine.facade;

import dev.sensorengine.engine.SensorFigures;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskMetricsResponse;
import dev.sensorengine.flyteidl.core.Metrics.ExecutionMetricResult;
import dev.sensorengine.literals.Structs;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sensor's figures as {@code GetTaskMetrics} results, each in the Prometheus range-query form that Flyte's
 * console plots: {@code {"resultType": "matrix", "result": [{"metric": {...}, "values": [[t, "v"], ...]}]}}.
 * Two points per series: at creation and now.
 */
final class PrometheusResults {

    /** Metric names a request may ask for in {@code queries}; none asked means all. */
    static final List<String> METRICS = List.of("pokes", "age_seconds");

    private PrometheusResults() {}

    static GetTaskMetricsResponse of(SensorFigures figures, List<String> queries) {
        for (String query : queries) {
            if (!METRICS.contains(query)) {
                throw Status.INVALID_ARGUMENT
                        .withDescription("unknown metric '" + query + "'; this connector reports " + METRICS)
                        .asRuntimeException();
            }
        }
        List<String> wanted = queries.isEmpty() ? METRICS : queries;
        GetTaskMetricsResponse.Builder response = GetTaskMetricsResponse.newBuilder();
        for (String name : wanted) {
            double now = name.equals("pokes")
                    ? figures.pokes()
                    : Duration.between(figures.createdAt(), figures.asOf()).toMillis() / 1000.0;
            response.addResults(ExecutionMetricResult.newBuilder()
                    .setMetric(name)
                    .setData(Structs.toStruct(matrix(name, figures.createdAt(), figures.asOf(), now))));
        }
        return response.build();
    }

    private static Map<String, Object> matrix(String name, Instant from, Instant to, double value) {
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("metric", Map.of("__name__", name));
        series.put("values", List.of(point(from, 0), point(to, value)));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("resultType", "matrix");
        data.put("result", List.of(series));
        return data;
    }

    private static List<Object> point(Instant time, double value) {
        return List.of(
                time.toEpochMilli() / 1000.0,
                value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value));
    }
}
