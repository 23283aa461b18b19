package dev.sensorengine.temporal;

import dev.sensorengine.runtime.InMemoryTemporal;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.workflow.Json;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One Temporal server for one test: a client with the project's JSON mapping, and workers on a task queue of the
 * test's own, so that tests on the shared real server keep apart. Closing it stops the workers (and the SDK test server,
 * which is the test's own).
 */
final class TemporalUnderTest implements AutoCloseable {

    /** Which server. */
    enum Server {
        /** The Temporal CLI's dev server (Temporal server 1.32 with SQLite), shared by the test JVM. */
        REAL,
        /** The Java SDK's test server, time skipping off: what {@code --temporal-target in-memory} runs. */
        SDK_TEST_SERVER
    }

    static final String NAMESPACE = "default";

    private final Server server;
    private final Optional<InMemoryTemporal> own;
    private final WorkflowServiceStubs service;
    private final WorkflowClient client;
    private final WorkerFactory workers;
    private final String queue = "probe-" + UUID.randomUUID();

    private TemporalUnderTest(Server server, Optional<InMemoryTemporal> own, String target) {
        this.server = server;
        this.own = own;
        this.service = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
        this.client = WorkflowClient.newInstance(
                service,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(NAMESPACE)
                        .setDataConverter(Json.dataConverter())
                        .build());
        this.workers = WorkerFactory.newInstance(client);
    }

    /** Connects to the server; the real one skips the test (fails it under CI) without a Temporal CLI. */
    static TemporalUnderTest on(Server server) throws IOException {
        if (server == Server.REAL) {
            return new TemporalUnderTest(server, Optional.empty(), RealTemporal.shared());
        }
        InMemoryTemporal sdk = InMemoryTemporal.start(InetAddress.getLoopbackAddress(), 0);
        return new TemporalUnderTest(server, Optional.of(sdk), sdk.target());
    }

    Server server() {
        return server;
    }

    WorkflowClient client() {
        return client;
    }

    String queue() {
        return queue;
    }

    /** A worker on this test's queue; register on it, then {@link #start()}. */
    Worker worker() {
        return workers.newWorker(queue);
    }

    void start() {
        workers.start();
    }

    DescribeWorkflowExecutionResponse describe(WorkflowExecution execution) {
        return service.blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(NAMESPACE)
                        .setExecution(execution)
                        .build());
    }

    /** The events GetWorkflowExecutionHistory gives with the close-event filter, as engine.TemporalReader asks. */
    List<HistoryEvent> closeEvents(WorkflowExecution execution) {
        return service.blockingStub()
                .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace(NAMESPACE)
                        .setExecution(execution)
                        .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
                        .build())
                .getHistory()
                .getEventsList();
    }

    List<HistoryEvent> history(WorkflowExecution execution) {
        return client.fetchHistory(execution.getWorkflowId(), execution.getRunId())
                .getEvents();
    }

    WorkflowServiceStubs service() {
        return service;
    }

    @Override
    public void close() throws InterruptedException {
        workers.shutdownNow();
        service.shutdownNow();
        if (own.isPresent()) {
            own.get().close();
        }
    }
}
