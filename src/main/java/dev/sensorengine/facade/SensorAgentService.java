package dev.sensorengine.facade;

import com.google.protobuf.ByteString;
import dev.sensorengine.engine.CallBudget;
import dev.sensorengine.engine.LogEntry;
import dev.sensorengine.engine.SensorEngine;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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
        serve("create", response, () -> {
            // Checked before it is measured: sizing a message nested without bound would recurse without bound.
            var task = TaskRequests.sensorTask(request, checks);
            metrics.inputBytes(request.getInputs().getSerializedSize());
            return engine.create(task, budget())
                    .thenApply(meta -> CreateTaskResponse.newBuilder()
                            .setResourceMeta(ByteString.copyFrom(meta))
                            .build());
        });
    }

    @Override
    public void getTask(GetTaskRequest request, StreamObserver<GetTaskResponse> response) {
        serve("get", response, () -> {
            TaskCategories.requireSensor(request.hasTaskCategory(), request.getTaskCategory(), request.getTaskType());
            return engine.get(request.getResourceMeta().toByteArray(), request.getOutputPrefix(), budget())
                    .thenApply(status -> GetTaskResponse.newBuilder()
                            .setResource(TaskRequests.resource(status))
                            .build());
        });
    }

    @Override
    public void deleteTask(DeleteTaskRequest request, StreamObserver<DeleteTaskResponse> response) {
        serve("delete", response, () -> {
            TaskCategories.requireSensor(request.hasTaskCategory(), request.getTaskCategory(), request.getTaskType());
            return engine.delete(request.getResourceMeta().toByteArray(), budget())
                    .thenApply(deleted -> DeleteTaskResponse.getDefaultInstance());
        });
    }

    @Override
    public void getTaskMetrics(GetTaskMetricsRequest request, StreamObserver<GetTaskMetricsResponse> response) {
        serve("get_metrics", response, () -> {
            TaskCategories.requireSensor(request.hasTaskCategory(), request.getTaskCategory(), request.getTaskType());
            return engine.figures(request.getResourceMeta().toByteArray(), budget())
                    .thenApply(figures -> PrometheusResults.of(figures, request.getQueriesList()));
        });
    }

    @Override
    public void getTaskLogs(GetTaskLogsRequest request, StreamObserver<GetTaskLogsResponse> response) {
        serveAll("get_logs", response, () -> {
            TaskCategories.requireSensor(request.hasTaskCategory(), request.getTaskCategory(), request.getTaskType());
            int lines = request.getLines() > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) request.getLines();
            return engine.logs(request.getResourceMeta().toByteArray(), lines, budget())
                    .thenApply(entries -> {
                        GetTaskLogsResponseBody.Builder body = GetTaskLogsResponseBody.newBuilder();
                        for (LogEntry entry : entries) {
                            body.addResults(entry.time() + " " + entry.message());
                            body.addStructuredLines(TaskRequests.logLine(entry));
                        }
                        return List.of(
                                GetTaskLogsResponse.newBuilder()
                                        .setHeader(GetTaskLogsResponseHeader.newBuilder()
                                                .setToken(""))
                                        .build(),
                                GetTaskLogsResponse.newBuilder().setBody(body).build());
                    });
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

    /** Runs one call whose answer is one message. */
    private <T> void serve(String operation, StreamObserver<T> response, Supplier<CompletionStage<T>> body) {
        serveAll(operation, response, () -> body.get().thenApply(List::of));
    }

    /**
     * Runs one call: the body starts the work and returns at once; when it is done, its messages are written and
     * the call completes, or fails with a mapped status. No thread waits for it meanwhile.
     */
    private <T> void serveAll(String operation, StreamObserver<T> response, Supplier<CompletionStage<List<T>>> body) {
        Timer.Sample sample = metrics.begin();
        CompletionStage<List<T>> answer;
        try {
            answer = body.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((messages, failure) -> finish(operation, sample, response, messages, failure));
    }

    private <T> void finish(
            String operation, Timer.Sample sample, StreamObserver<T> response, List<T> messages, Throwable failure) {
        Throwable failed = failure;
        if (failed == null) {
            try {
                messages.forEach(response::onNext);
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        if (failed != null) {
            var status = Statuses.of(failed);
            metrics.failed(operation, sample, status.getStatus().getCode());
            response.onError(status);
            return;
        }
        metrics.succeeded(operation, sample);
        response.onCompleted();
    }
}
