package dev.sensorengine.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * At most one wake signal per sensor per {@link #WINDOW} from this replica. Each signal is a history event, and a run
 * cannot continue as new while signals keep arriving (the server refuses the command until the workflow has seen
 * them), so an unthrottled flood of events about one sensor grows its run toward Temporal's limit of 51,200 events,
 * where Temporal ends it. Events for a sensor signalled within the window ride on one signal sent at the window's
 * end, carrying the latest of them; the sensor's own coalescing does the rest.
 *
 * <p>Synchronized: the state is a few entries per sensor woken in the last window, swept as it ages.
 */
final class WakeThrottle {

    static final Duration WINDOW = Duration.ofSeconds(1);
    private static final long WINDOW_NANOS = WINDOW.toNanos();

    /** What to do with one event for one sensor. */
    sealed interface Decision {
        /** Signal now. */
        record SendNow() implements Decision {}

        /** Signal at {@code atNanos} (this caller sends), with the latest event riding by then. */
        record SendLater(long atNanos) implements Decision {}

        /** A signal is already due within the window; the event rides on it. */
        record Ride() implements Decision {}
    }

    private static final class Slot {
        long lastSentNanos;
        ObjectEvent due; // the event the next, delayed signal carries; null when none is due
    }

    private final Map<String, Slot> slots = new HashMap<>();
    private long lastSweepNanos;

    synchronized Decision decide(String workflowId, ObjectEvent event, long nowNanos) {
        sweep(nowNanos);
        Slot slot = slots.get(workflowId);
        if (slot == null || nowNanos - slot.lastSentNanos >= WINDOW_NANOS) {
            slot = slot == null ? new Slot() : slot;
            slot.lastSentNanos = nowNanos;
            slots.put(workflowId, slot);
            return new Decision.SendNow();
        }
        if (slot.due != null) {
            slot.due = newer(slot.due, event);
            return new Decision.Ride();
        }
        slot.due = event;
        return new Decision.SendLater(slot.lastSentNanos + WINDOW_NANOS);
    }

    /** The event the delayed signal carries (the latest that rode on it), now that it is being sent. */
    synchronized Optional<ObjectEvent> takeDue(String workflowId, long nowNanos) {
        Slot slot = slots.get(workflowId);
        if (slot == null || slot.due == null) {
            return Optional.empty();
        }
        ObjectEvent due = slot.due;
        slot.due = null;
        slot.lastSentNanos = nowNanos;
        return Optional.of(due);
    }

    synchronized int size() {
        return slots.size();
    }

    private void sweep(long nowNanos) {
        if (nowNanos - lastSweepNanos < WINDOW_NANOS) {
            return;
        }
        lastSweepNanos = nowNanos;
        slots.values().removeIf(slot -> slot.due == null && nowNanos - slot.lastSentNanos >= WINDOW_NANOS);
    }

    private static ObjectEvent newer(ObjectEvent a, ObjectEvent b) {
        return b.receivedAt().isAfter(a.receivedAt()) ? b : a;
    }
}
