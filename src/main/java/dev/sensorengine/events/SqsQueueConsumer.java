package dev.sensorengine.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Long-polls one SQS queue on a thread of its own and hands each message's events to the waker. A message is
 * deleted only once handled: its sensors woken, or it named nothing to wake (S3's test message, a deletion) or could
 * not be read. When Temporal is unavailable the message is handed back to come again after the retry delay; when the
 * deployment cannot take events it is left to come back after its visibility timeout (and to the queue's redrive
 * policy, if it has one).
 */
final class SqsQueueConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqsQueueConsumer.class);
    /** SQS returns at most ten messages per receive. */
    private static final int BATCH = 10;

    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final SqsClient sqs;
    private final String queueUrl;
    private final SqsSettings settings;
    private final EventDelivery delivery;
    private final EventMetrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Duration grace;
    private final Thread thread;
    /** Held while a batch is handled, so that stopping waits for it rather than cutting a wake off. */
    private final ReentrantLock handling = new ReentrantLock();

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    SqsQueueConsumer(
            SqsClient sqs,
            String queueUrl,
            SqsSettings settings,
            EventDelivery delivery,
            EventMetrics metrics,
            Clock clock,
            ScheduledExecutorService scheduler,
            Duration grace) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.settings = settings;
        this.delivery = delivery;
        this.metrics = metrics;
        this.clock = clock;
        this.scheduler = scheduler;
        this.grace = grace;
        this.thread = new Thread(this::run, "events-sqs-" + queueName(queueUrl));
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(request -> request.queueUrl(queueUrl)
                                .maxNumberOfMessages(BATCH)
                                .waitTimeSeconds((int) settings.waitTime().toSeconds())
                                .visibilityTimeout(
                                        (int) settings.visibilityTimeout().toSeconds()))
                        .messages();
                backoff = FIRST_BACKOFF;
            } catch (SdkException | IllegalStateException e) {
                if (!running) {
                    return;
                }
                log.warn("receiving from SQS queue {} failed, trying again in {}: {}", queueUrl, backoff, e.toString());
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                continue;
            }
            if (!messages.isEmpty()) {
                handleBatch(messages, clock.instant());
            }
        }
    }

    private void handleBatch(List<Message> messages, Instant receivedAt) {
        handling.lock();
        try {
            if (!running) {
                // Received while stopping: hand them back at once instead of after the visibility timeout.
                messages.forEach(message -> handBack(message, Duration.ZERO));
                return;
            }
            try (VisibilityRenewal renewal = new VisibilityRenewal(
                    sqs,
                    queueUrl,
                    settings.visibilityTimeout(),
                    settings.renewEvery(),
                    messages.stream().map(Message::receiptHandle).toList(),
                    scheduler)) {
                for (Message message : messages) {
                    handle(message, receivedAt, renewal);
                }
            }
        } finally {
            handling.unlock();
        }
    }

    private void handle(Message message, Instant receivedAt, VisibilityRenewal renewal) {
        Parsed parsed = SqsBodies.read(message.body(), message.messageId(), receivedAt);
        if (parsed instanceof Parsed.Unrecognized unrecognized) {
            // It will never read better: deleting it keeps it from coming back for ever.
            log.warn(
                    "deleting SQS message {} of {}, which names no object: {}",
                    message.messageId(),
                    queueUrl,
                    unrecognized.reason());
            metrics.received(SqsBodies.SOURCE, Outcome.REFUSED);
            renewal.done(message.receiptHandle());
            delete(message);
            return;
        }
        if (parsed instanceof Parsed.Ignored ignored) {
            log.debug("SQS message {} wakes nothing: {}", message.messageId(), ignored.reason());
            metrics.received(SqsBodies.SOURCE, Outcome.IGNORED);
            renewal.done(message.receiptHandle());
            delete(message);
            return;
        }
        Delivery result = delivery.deliver(((Parsed.Objects) parsed).events());
        renewal.done(message.receiptHandle());
        if (result instanceof Delivery.Woken) {
            metrics.received(SqsBodies.SOURCE, Outcome.ACCEPTED);
            delete(message);
        } else if (result instanceof Delivery.RetryLater later) {
            metrics.received(SqsBodies.SOURCE, Outcome.UNAVAILABLE);
            log.warn("SQS message {} comes back in {}: {}", message.messageId(), settings.retryDelay(), later.reason());
            handBack(message, settings.retryDelay());
        } else {
            metrics.received(SqsBodies.SOURCE, Outcome.FAILED);
            log.error(
                    "SQS message {} of {} could not be taken and comes back after {}: {}",
                    message.messageId(),
                    queueUrl,
                    settings.visibilityTimeout(),
                    result instanceof Delivery.CannotTake cannot
                            ? cannot.reason()
                            : ((Delivery.Failed) result).reason());
        }
    }

    private void delete(Message message) {
        try {
            sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        } catch (SdkException | IllegalStateException e) {
            // It comes back and wakes its sensors again: a poke each, no more.
            log.warn("could not delete SQS message {} of {}: {}", message.messageId(), queueUrl, e.toString());
        }
    }

    private void handBack(Message message, Duration after) {
        try {
            sqs.changeMessageVisibility(request -> request.queueUrl(queueUrl)
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout((int) after.toSeconds()));
        } catch (SdkException | IllegalStateException e) {
            log.debug("could not hand SQS message {} back: {}", message.messageId(), e.toString());
        }
    }

    private void pause(Duration duration) {
        try {
            stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * Stops receiving, and waits within the grace period for a batch under way. A receive still waiting is not
     * waited for: what it brings is handed back at once.
     */
    @Override
    public void close() throws InterruptedException {
        running = false;
        stopped.countDown();
        if (handling.tryLock(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            handling.unlock();
        } else {
            log.warn("SQS messages of {} still being handled after {}; they come back to the queue", queueUrl, grace);
        }
    }

    /** The queue's name, the last part of its URL, for the thread's name. */
    static String queueName(String queueUrl) {
        return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }
}
