package dev.sensorengine.facade;

import com.google.protobuf.ByteString;
import dev.sensorengine.engine.CallBudget;
import dev.sensorengine.engine.LogEntry;
import dev.sensorengine.engine.SensorEngine;
import dev.sensorengine.engine.SensorFigures;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.DeleteTaskResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsResponseBody;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskLogsResponseHeader;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskMetricsRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskMetricsResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskResponse;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * flyteidl's {@code AsyncAgentService} over the {@link SensorEngine}: checks routing, translates messages,
 * records the request metrics and maps failures to status codes.
 */
final class SensorAgentService extends AsyncAgentServiceGrpc.AsyncAgentServiceImplBase {

    /** Kept from the caller's deadline for the answer itself to get back. */
    static final Duration ANSWER_RESERVE = Duration.ofMillis(500);
    /** The whole of Temporal's time for a call whose caller set no deadline (propeller sets 10 s). */
    static final Duration NO_DEADLINE_BUDGET = Duration.ofSeconds(10);

    private final SensorEngine engine;
    private final RequestMetrics metrics;
    private final CreateTaskChecks checks;

    SensorAgentService(SensorEngine engine, RequestMetrics metrics, CreateTaskChecks checks) {
        this.engine = engine;
        this.metrics = metrics;
        this.checks = checks;
    }

    @Override
    public void createTask(CreateTaskRequest request, StreamObserver<CreateTaskResponse> response) {
        serve("create", response, out -> {
            // Checked before it is measured: sizing a message nested without bound would recurse without bound.
            var task = TaskRequests.sensorTask(request, checks);
            metrics.inputBytes(request.getInputs().getSerializedSize());
            byte[] meta = engine.create(task, budget());
            out.onNext(CreateTaskResponse.newBuilder()
                    .setResourceMeta(ByteString.copyFrom(meta))
                    .build());
        });
    }

    @Override
    public void getTask(GetTaskRequest request, StreamObserver<GetTaskResponse> response) {
        serve("get", response, out -> {
            TaskCategories.requireSensor(request.hasTaskCategory(), request.getTaskCategory(), request.getTaskType());
            var status = engine.get(request.getResourceMeta().toByteArray(), request.getOutputPrefix(), budget());
            out.onNext(GetTaskResponse.newBuilder()
                    .setResource(TaskRequests.resource(status))
                    .build());
        });
    }

    @Override
    public void deleteTask(DeleteTaskRequest request, StreamObserver<DeleteTaskResponse> response) {
        serve("delete", response, out -> {
            TaskCategories.requireSensor(request.hasTaskCategory(), request.getTaskCategory(), request.getTaskType());
            engine.delete(request.getResourceMeta().toByteArray(), budget());
            out.onNext(DeleteTaskResponse.getDefaultInstance());
        });
    }

    @Override
    public void getTaskMetrics(GetTaskMetricsRequest request, StreamObserver<GetTaskMetricsResponse> response) {
        serve("get_metrics", response, out -> {
            TaskCategories.requireSensor(request.hasTaskCategory(), request.getTaskCategory(), request.getTaskType());
            SensorFigures figures = engine.figures(request.getResourceMeta().toByteArray(), budget());
            out.onNext(PrometheusResults.of(figures, request.getQueriesList()));
        });
    }

    @Override
    public void getTaskLogs(GetTaskLogsRequest request, StreamObserver<GetTaskLogsResponse> response) {
        serve("get_logs", response, out -> {
            TaskCategories.requireSensor(request.hasTaskCategory(), request.getTaskCategory(), request.getTaskType());
            int lines = request.getLines() > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) request.getLines();
            List<LogEntry> entries = engine.logs(request.getResourceMeta().toByteArray(), lines, budget());
            out.onNext(GetTaskLogsResponse.newBuilder()
                    .setHeader(GetTaskLogsResponseHeader.newBuilder().setToken(""))
                    .build());
            GetTaskLogsResponseBody.Builder body = GetTaskLogsResponseBody.newBuilder();
            for (LogEntry entry : entries) {
                body.addResults(entry.time() + " " + entry.message());
                body.addStructuredLines(TaskRequests.logLine(entry));
            }
            out.onNext(GetTaskLogsResponse.newBuilder().setBody(body).build());
        });
    }

    /**
     * The time this call may spend on Temporal: the caller's deadline less {@link #ANSWER_RESERVE}, so that it hears
     * an answer it can act on rather than its own deadline; {@link #NO_DEADLINE_BUDGET} for a caller without one.
     */
    private static CallBudget budget() {
        Deadline deadline = Context.current().getDeadline();
        if (deadline == null) {
            return CallBudget.of(NO_DEADLINE_BUDGET);
        }
        Duration left = Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS));
        return CallBudget.of(left.minus(ANSWER_RESERVE));
    }

    /** Runs one call: the body writes its messages, then the call completes, or fails with a mapped status. */
    private <T> void serve(String operation, StreamObserver<T> response, Consumer<StreamObserver<T>> body) {
        Timer.Sample sample = metrics.begin();
        try {
            body.accept(response);
        } catch (RuntimeException e) {
            var status = Statuses.of(e);
            metrics.failed(operation, sample, status.getStatus().getCode());
            response.onError(status);
            return;
        }
        metrics.succeeded(operation, sample);
        response.onCompleted();
    }
}
