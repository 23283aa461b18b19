package dev.sensorengine.events;

import dev.sensorengine.engine.EventWaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The event sources {@link EventSettings} turns on, all handing their events to one waker: the push endpoint, one
 * consumer per SQS queue, the file watch. Started together, stopped in reverse order, each within the grace period.
 */
public final class EventSources implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventSources.class);

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private PushServer push;

    private EventSources() {}

    /**
     * @param fileRoots the {@code --file-root} directories, watched when the settings say so
     * @param grace how long events under way may take to be delivered on stop
     * @throws IOException when the push port cannot be bound, the token file not read, or a root not watched
     */
    public static EventSources start(
            EventSettings settings,
            List<Path> fileRoots,
            EventWaker waker,
            MeterRegistry registry,
            Clock clock,
            Duration grace)
            throws IOException {
        EventSources sources = new EventSources();
        try {
            sources.startAll(settings, fileRoots, waker, registry, clock, grace);
            return sources;
        } catch (IOException | RuntimeException e) {
            sources.close();
            throw e;
        }
    }

    private void startAll(
            EventSettings settings,
            List<Path> fileRoots,
            EventWaker waker,
            MeterRegistry registry,
            Clock clock,
            Duration grace)
            throws IOException {
        EventMetrics metrics = new EventMetrics(registry);
        EventDelivery delivery = new EventDelivery(waker, metrics, clock);
        if (settings.push().isPresent()) {
            PushSettings pushSettings = settings.push().get();
            BearerToken token = BearerToken.load(pushSettings.tokenFile());
            push = PushServer.start(
                    pushSettings.port(),
                    new PushEndpoint(token, pushSettings.maxBodyBytes(), delivery, metrics, clock),
                    grace);
            running.push(push);
            log.info("taking pushed events on port {} at {}", push.port(), PushEndpoint.PATH);
        }
        SqsSettings sqs = settings.sqs();
        if (!sqs.queueUrls().isEmpty()) {
            ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "events-sqs-visibility");
                thread.setDaemon(true);
                return thread;
            });
            running.push(renewals::shutdownNow);
            for (String queueUrl : sqs.queueUrls()) {
                SqsClient client = SqsClients.forQueue(queueUrl, sqs.endpoint());
                running.push(client);
                SqsQueueConsumer consumer =
                        new SqsQueueConsumer(client, queueUrl, sqs, delivery, metrics, clock, renewals, grace);
                consumer.start();
                running.push(consumer);
                log.info("taking S3 notifications from SQS queue {}", queueUrl);
            }
        }
        if (settings.watchFiles()) {
            FileWatcher watcher = FileWatcher.start(fileRoots, delivery, metrics, clock, grace);
            running.push(watcher);
            log.info(
                    "watching {} directories under the file roots {} for new files",
                    watcher.watchedDirectories(),
                    fileRoots);
        }
    }

    /** The push endpoint's port, when it runs. */
    public Optional<Integer> pushPort() {
        return Optional.ofNullable(push).map(PushServer::port);
    }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("error while stopping an event source: {}", e.toString());
            }
        }
    }
}
