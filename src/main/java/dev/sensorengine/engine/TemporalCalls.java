package dev.sensorengine.engine;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceFutureStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Calls to Temporal's frontend for an API call, without a thread waiting on any of them: each is sent through the
 * future stub and its answer completes a {@link CompletableFuture} on the thread that read it, where the work that
 * follows (the next call, or the answer to the caller) runs too. That work never blocks.
 *
 * <p>One wait remains in Temporal's client: before the first call a connection sends, it asks Temporal for its
 * capabilities and waits for them. An API call's first Temporal call is sent from the gRPC handler's thread, which may
 * wait; a call sent from a transport thread always follows an answered one, by when the capabilities are known.
 */
final class TemporalCalls {

    private final WorkflowServiceStubs stubs;
    private final Duration callTimeout;

    /** @param callTimeout the most one Temporal call may take, whatever the caller's budget leaves */
    TemporalCalls(WorkflowServiceStubs stubs, Duration callTimeout) {
        this.stubs = stubs;
        this.callTimeout = callTimeout;
    }

    /**
     * Sends one call, its deadline drawn from the budget and under the caller's context, so that a caller who gives
     * up cancels it, as when the call was made on the caller's own thread.
     *
     * @return the answer, or the call's failure as Temporal's client raised it: a {@code StatusRuntimeException}, or
     *     {@link TemporalUnavailableException} when the budget was spent before it could be sent
     */
    <T> CompletableFuture<T> call(CallBudget budget, Function<WorkflowServiceFutureStub, ListenableFuture<T>> rpc) {
        return send(budget, () -> budget.nextCallMillis(callTimeout), rpc);
    }

    /**
     * Sends a start, which may take all the budget has left rather than at most the per-call timeout. A read that
     * times out has an answer to fall back on (the outage grace's "state unknown"); a start has none: a CreateTask
     * that fails costs the Flyte task a retry, and a slow Temporal that answers within the caller's deadline must
     * not fail it.
     */
    <T> CompletableFuture<T> start(CallBudget budget, Function<WorkflowServiceFutureStub, ListenableFuture<T>> rpc) {
        return send(budget, budget::nextCallMillis, rpc);
    }

    private <T> CompletableFuture<T> send(
            CallBudget budget,
            LongSupplier deadlineMillis,
            Function<WorkflowServiceFutureStub, ListenableFuture<T>> rpc) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        ListenableFuture<T> sent;
        try {
            // The direct executor: the answer is handled on the transport's thread rather than handed to another.
            WorkflowServiceFutureStub stub = stubs.futureStub()
                    .withExecutor(MoreExecutors.directExecutor())
                    .withDeadlineAfter(deadlineMillis.getAsLong(), TimeUnit.MILLISECONDS);
            sent = budget.inCallersContext(() -> rpc.apply(stub));
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            return answer;
        }
        Futures.addCallback(
                sent,
                new FutureCallback<T>() {
                    @Override
                    public void onSuccess(T result) {
                        answer.complete(result);
                    }

                    @Override
                    public void onFailure(Throwable failure) {
                        answer.completeExceptionally(failure);
                    }
                },
                MoreExecutors.directExecutor());
        return answer;
    }
}
