package dev.sensorengine.engine;

import dev.sensorengine.workflow.SensorSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether anyone polls the task queue a sensor's pokes wait on, so that GetTask can say "none is polling" of a Python
 * sensor whose worker is not running, read from Temporal rather than guessed from a late poke.
 *
 * <p>Cheap by construction: Temporal is asked only for a sensor on a queue of its own (a Python sensor) that has not
 * poked yet or whose next poke is overdue, at most once per queue every {@link #REMEMBER} (the callers in between get
 * the answer known, and while one caller asks, the others go on with the one before), and for at most
 * {@link #MAX_QUEUES} queues, since the queue comes from the caller's {@code resource_meta}.
 *
 * <p>DescribeTaskQueue lists a poller for about five minutes after its worker died, and a live idle poller's last
 * access was up to 51 s old on the dev server (it renews with each long poll; contract/poke-activity.md, "Task queues
 * and routing"): a poller counts as live when its last access is within {@link #LIVE_WITHIN}.
 */
final class TaskQueuePollers {

    static final Duration LIVE_WITHIN = Duration.ofSeconds(70);
    static final Duration REMEMBER = Duration.ofSeconds(5);
    static final int MAX_QUEUES = 16;
    /** A next poke later than this is not a busy queue but no one taking it. */
    static final Duration OVERDUE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(TaskQueuePollers.class);

    /** When each poller of a queue's activities last polled; fails as the Temporal call fails. */
    @FunctionalInterface
    interface Lister {
        CompletionStage<List<Instant>> lastAccessTimes(String taskQueue, CallBudget budget);
    }

    /** @param live the live pollers; empty when Temporal did not tell */
    private record Known(Instant askedAt, Optional<Integer> live) {}

    private static final CompletionStage<Optional<String>> UNKNOWN_QUEUE =
            CompletableFuture.completedFuture(Optional.empty());
    private static final CompletionStage<Optional<Integer>> UNKNOWN_COUNT =
            CompletableFuture.completedFuture(Optional.empty());

    private final Lister lister;
    private final Clock clock;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();

    TaskQueuePollers(Lister lister, Clock clock) {
        this.lister = lister;
        this.clock = clock;
    }

    /**
     * The queue a waiting sensor's pokes sit on with no one polling it; empty when it has a worker, when it is not a
     * sensor of a queue of its own, when it is not waiting for a poke, or when Temporal did not tell.
     */
    CompletionStage<Optional<String>> unpolledQueue(SensorSpec spec, WorkflowSnapshot snapshot, CallBudget budget) {
        String queue = spec.pokeTaskQueue();
        if (queue == null || snapshot.state() != WorkflowSnapshot.State.OPEN || spec.wakeAt() != null) {
            return UNKNOWN_QUEUE;
        }
        Instant now = clock.instant();
        boolean notPokedYet = snapshot.pokes() == 0 && snapshot.lastResult().isEmpty();
        boolean overdue = snapshot.nextPoke()
                .map(next -> next.plus(OVERDUE).isBefore(now))
                .orElse(false);
        if (!notPokedYet && !overdue) {
            return UNKNOWN_QUEUE;
        }
        return live(queue, budget)
                .thenApply(live -> live.filter(count -> count == 0).map(count -> queue));
    }

    /** The live pollers of {@code queue}'s activities, as last known or asked now; empty when unknown. */
    CompletionStage<Optional<Integer>> live(String queue, CallBudget budget) {
        Instant now = clock.instant();
        Known before = known.get(queue);
        if (before != null && before.askedAt().plus(REMEMBER).isAfter(now)) {
            return CompletableFuture.completedFuture(before.live());
        }
        if (before == null && known.size() >= MAX_QUEUES) {
            return UNKNOWN_COUNT;
        }
        // One caller asks; the others meanwhile answer with what was known.
        Known claim = new Known(now, before == null ? Optional.empty() : before.live());
        boolean claimed =
                before == null ? known.putIfAbsent(queue, claim) == null : known.replace(queue, before, claim);
        if (!claimed) {
            return CompletableFuture.completedFuture(before == null ? Optional.empty() : before.live());
        }
        return ask(queue, budget, now).thenApply(live -> {
            known.put(queue, new Known(clock.instant(), live));
            return live;
        });
    }

    private CompletionStage<Optional<Integer>> ask(String queue, CallBudget budget, Instant now) {
        Instant since = now.minus(LIVE_WITHIN);
        return Stages.of(() -> lister.lastAccessTimes(queue, budget).toCompletableFuture())
                .handle((accesses, failure) -> {
                    if (failure != null) {
                        // The status goes on without it: a refused or failed describe of a queue is no reason to fail
                        // GetTask.
                        log.debug("cannot read the pollers of task queue {}: {}", queue, failure.toString());
                        return Optional.empty();
                    }
                    return Optional.of((int) accesses.stream()
                            .filter(access -> access.isAfter(since))
                            .count());
                });
    }
}
