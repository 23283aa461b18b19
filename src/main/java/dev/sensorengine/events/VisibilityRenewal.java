package dev.sensorengine.events;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Keeps the messages of one received batch hidden from other consumers while they wait for or undergo handling:
 * every third of the visibility timeout it sets their timeout afresh, until each is done. A handling slower than the
 * timeout (Temporal slow to answer) is then not handled twice at once.
 */
final class VisibilityRenewal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VisibilityRenewal.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Duration timeout;
    private final Set<String> pending = new HashSet<>();
    private final ScheduledFuture<?> task;

    VisibilityRenewal(
            SqsClient sqs,
            String queueUrl,
            Duration timeout,
            Duration every,
            Collection<String> receiptHandles,
            ScheduledExecutorService scheduler) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.timeout = timeout;
        pending.addAll(receiptHandles);
        long millis = Math.max(1, every.toMillis());
        this.task = scheduler.scheduleWithFixedDelay(this::renew, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The message is about to be deleted or handed back: its visibility is no longer renewed. Waits for a renewal
     * under way, so that none lands after the caller's own change (a retry delay) and overrides it.
     */
    synchronized void done(String receiptHandle) {
        pending.remove(receiptHandle);
    }

    private synchronized void renew() {
        for (String handle : pending) {
            try {
                sqs.changeMessageVisibility(request ->
                        request.queueUrl(queueUrl).receiptHandle(handle).visibilityTimeout((int) timeout.toSeconds()));
            } catch (SdkException e) {
                // The message may come back to another consumer; waking its sensors twice costs a poke, no more.
                log.warn("could not extend the visibility of a message of {}: {}", queueUrl, e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        task.cancel(false);
        pending.clear();
    }
}
