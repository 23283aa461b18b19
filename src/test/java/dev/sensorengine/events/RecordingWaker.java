package dev.sensorengine.events;

import dev.sensorengine.engine.EventWaker;
import dev.sensorengine.engine.ObjectEvent;
import dev.sensorengine.engine.WakeReport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A waker that records every event it is handed and answers as the test says (a report, or an exception), so that
 * the sources can be tested before and apart from the real waking side.
 */
final class RecordingWaker implements EventWaker {

    private final List<ObjectEvent> calls = new CopyOnWriteArrayList<>();
    private volatile Function<ObjectEvent, WakeReport> answer = event -> new WakeReport(1, 1, 0);

    /** How the next calls answer: a report, or an exception thrown from the function. */
    void answer(Function<ObjectEvent, WakeReport> value) {
        answer = value;
    }

    @Override
    public WakeReport wake(ObjectEvent event) {
        calls.add(event);
        return answer.apply(event);
    }

    /** Every event handed over so far, also those whose call then threw. */
    List<ObjectEvent> calls() {
        return List.copyOf(calls);
    }

    List<String> objects() {
        return calls.stream().map(ObjectEvent::object).toList();
    }
}
