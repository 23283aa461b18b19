package dev.sensorengine.events;

import dev.sensorengine.engine.EventWaker;
import dev.sensorengine.engine.InvalidRequestException;
import dev.sensorengine.engine.ObjectEvent;
import dev.sensorengine.engine.TemporalUnavailableException;
import dev.sensorengine.engine.WakeReport;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a message's events to the waker, one after the other, and says whether the message may be acknowledged:
 * only once the waker has returned for every one of them. A retried message wakes its first sensors again, which
 * costs them a poke each and changes no outcome.
 */
final class EventDelivery {

    private static final Logger log = LoggerFactory.getLogger(EventDelivery.class);

    private final EventWaker waker;
    private final EventMetrics metrics;
    private final Clock clock;

    EventDelivery(EventWaker waker, EventMetrics metrics, Clock clock) {
        this.waker = waker;
        this.metrics = metrics;
        this.clock = clock;
    }

    Delivery deliver(List<ObjectEvent> events) {
        int matched = 0;
        int woken = 0;
        int ignored = 0;
        for (ObjectEvent event : events) {
            WakeReport report;
            try {
                report = waker.wake(event);
            } catch (TemporalUnavailableException e) {
                return new Delivery.RetryLater("Temporal is unavailable: " + e.getMessage());
            } catch (InvalidRequestException e) {
                return new Delivery.CannotTake(e.getMessage());
            } catch (RuntimeException e) {
                // A bug rather than an outage; the sender's retry is as good a next step as any, and the poll remains.
                log.error(
                        "waking the sensors of {} event {} for {} failed",
                        event.source(),
                        event.id(),
                        event.object(),
                        e);
                return new Delivery.Failed("waking the sensors failed: " + e);
            }
            metrics.woke(event, report, clock.instant());
            log.debug(
                    "{} event {} for {}: {} sensors matched, {} woken",
                    event.source(),
                    event.id(),
                    event.object(),
                    report.matched(),
                    report.woken());
            matched += report.matched();
            woken += report.woken();
            ignored += report.ignored();
        }
        return new Delivery.Woken(new WakeReport(matched, woken, ignored));
    }
}
