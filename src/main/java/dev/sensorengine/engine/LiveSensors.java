package dev.sensorengine.engine;

import com.google.protobuf.ByteString;
import dev.sensorengine.workflow.SensorWorkflow;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts the sensors that are waiting, by sensor, from Temporal's visibility records (the open sensor workflows
 * and their memo), so the figure is the cluster's, not one replica's. A server whose visibility records carry no
 * memo (the embedded one) counts them under {@code unknown}.
 */
public final class LiveSensors {

    private static final int PAGE = 1000;

    private final WorkflowClient client;
    private final String namespace;
    private final Duration callTimeout;

    public LiveSensors(WorkflowClient client, String namespace, Duration callTimeout) {
        this.client = client;
        this.namespace = namespace;
        this.callTimeout = callTimeout;
    }

    /** Open sensor workflows by {@code module.Name}; throws when Temporal does not answer. */
    public Map<String, Long> bySensor() {
        DataConverter converter = client.getOptions().getDataConverter();
        Map<String, Long> counts = new TreeMap<>();
        ByteString page = ByteString.EMPTY;
        do {
            var response = client.getWorkflowServiceStubs()
                    .blockingStub()
                    .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
                            .setNamespace(namespace)
                            .setMaximumPageSize(PAGE)
                            .setNextPageToken(page)
                            .setTypeFilter(WorkflowTypeFilter.newBuilder().setName(SensorWorkflow.TYPE))
                            .build());
            response.getExecutionsList().forEach(execution -> {
                Payload sensor = execution.getMemo().getFieldsMap().get("sensor");
                String name = sensor == null ? "unknown" : converter.fromPayload(sensor, String.class, String.class);
                counts.merge(name, 1L, Long::sum);
            });
            page = response.getNextPageToken();
        } while (!page.isEmpty());
        return counts;
    }
}
