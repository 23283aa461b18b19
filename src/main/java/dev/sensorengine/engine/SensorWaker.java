package dev.sensorengine.engine;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.sensorengine.sensors.EventTarget;
import dev.sensorengine.sensors.Sensor;
import dev.sensorengine.sensors.SensorRegistry;
import dev.sensorengine.workflow.SensorWorkflow;
import dev.sensorengine.workflow.WakeSignal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventWaker} of this service: finds the waiting sensors an event may concern through Temporal visibility
 * (search attributes, so any API replica can take any event), keeps those whose sensor says the object matches
 * ({@link Sensor#wokenBy}, as its poke would), and signals each {@code wake}.
 *
 * <p>One visibility query per event: the sensors waiting for exactly this object ({@code SensorTarget}), and the
 * prefix and glob sensors of its bucket ({@code SensorBucket}, {@code SensorMatch}), which Java then filters. Signals
 * go by workflow id, so a sensor that continued as new gets its wake, with a request id made from the event and the
 * sensor, so a sender that retries an event does not wake a sensor twice; and at most one a second per sensor
 * ({@link WakeThrottle}), so that a flood of events cannot grow a sensor's history without bound.
 */
public final class SensorWaker implements EventWaker {

    private static final Logger log = LoggerFactory.getLogger(SensorWaker.class);
    private static final int PAGE = 1000;
    /**
     * The most sensors one event may look at: a bucket with more waiting prefix and glob sensors wakes the first
     * ones only (the rest are polled) and says so in the log.
     */
    static final int MAX_CANDIDATES = 10_000;

    private final WorkflowClient client;
    private final EngineSettings settings;
    private final SensorRegistry sensors;
    private final DataConverter converter;
    private final WakeThrottle throttle = new WakeThrottle();

    public SensorWaker(WorkflowClient client, EngineSettings settings, SensorRegistry sensors) {
        this.client = client;
        this.settings = settings;
        this.sensors = sensors;
        this.converter = client.getOptions().getDataConverter();
    }

    @Override
    public WakeReport wake(ObjectEvent event) {
        if (!settings.searchAttributes()) {
            throw new InvalidRequestException("events cannot wake sensors here: finding the sensors an event "
                    + "concerns needs Temporal visibility queries on the sensor search attributes, which the in-memory "
                    + "Temporal server does not have; run the Temporal CLI's dev server (scripts/tools.sh) or a "
                    + "cluster with --search-attributes. Sensors are still polled.");
        }
        List<String> matching = new ArrayList<>();
        int candidates = 0;
        String query = query(event.object());
        ByteString page = ByteString.EMPTY;
        do {
            ListWorkflowExecutionsResponse response = list(query, page);
            for (WorkflowExecutionInfo info : response.getExecutionsList()) {
                candidates++;
                if (matches(info, event.object())) {
                    matching.add(info.getExecution().getWorkflowId());
                }
            }
            page = response.getNextPageToken();
        } while (!page.isEmpty() && candidates < MAX_CANDIDATES);
        if (!page.isEmpty()) {
            log.warn(
                    "event {} {} concerns more than {} waiting sensors; woke those among the first {}, the rest will "
                            + "see it at their next poke",
                    event.source(),
                    event.id(),
                    MAX_CANDIDATES,
                    MAX_CANDIDATES);
        }
        int woken = signal(event, matching);
        log.info(
                "event source={} id={} object={}: {} sensors looked at, {} matched, {} woken",
                event.source(),
                event.id(),
                event.object(),
                candidates,
                matching.size(),
                woken);
        return new WakeReport(matching.size(), woken, matching.size() - woken);
    }

    /**
     * The waiting sensors for exactly this object, and the non-exact ones of its bucket. Exact sensors of the bucket
     * waiting for other objects, the common case of a busy bucket, are never listed.
     *
     * <p>Temporal's list filter (server 1.32) matches no literal with a backslash in it, however escaped (measured);
     * an object with one is looked up by the part before it ({@code STARTS_WITH}) and decided in Java, and a bucket
     * with one not at all.
     */
    static String query(String object) {
        String sensors = "WorkflowType = " + quote(SensorWorkflow.TYPE) + " AND ExecutionStatus = 'Running'";
        int backslash = object.indexOf('\\');
        String exact = backslash < 0
                ? SensorSearchAttributes.TARGET + " = " + quote(object)
                : SensorSearchAttributes.TARGET + " STARTS_WITH " + quote(object.substring(0, backslash));
        return EventTarget.bucketOf(object)
                .filter(bucket -> bucket.indexOf('\\') < 0)
                .map(bucket -> sensors + " AND (" + exact + " OR (" + SensorSearchAttributes.BUCKET + " = "
                        + quote(bucket) + " AND " + SensorSearchAttributes.MATCH + " != " + quote(EventTarget.EXACT)
                        + "))")
                .orElse(sensors + " AND " + exact);
    }

    /** A string literal of Temporal's list filter: a quote escaped (a value reaching here has no backslash). */
    static String quote(String value) {
        return "'" + value.replace("'", "\\'") + "'";
    }

    private ListWorkflowExecutionsResponse list(String query, ByteString page) {
        try {
            return client.getWorkflowServiceStubs()
                    .blockingStub()
                    .withDeadlineAfter(settings.temporalCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                            .setNamespace(settings.namespace())
                            .setQuery(query)
                            .setPageSize(PAGE)
                            .setNextPageToken(page)
                            .build());
        } catch (StatusRuntimeException e) {
            throw TemporalFailures.of(e, settings.namespace());
        }
    }

    /** As the sensor itself would match: its own {@link Sensor#wokenBy}; the object itself for a sensor not here. */
    private boolean matches(WorkflowExecutionInfo info, String object) {
        Map<String, Payload> attributes = info.getSearchAttributes().getIndexedFieldsMap();
        Optional<String> target = keyword(attributes, SensorSearchAttributes.TARGET);
        if (target.isEmpty()) {
            return false;
        }
        EventTarget wanted = new EventTarget(
                keyword(attributes, SensorSearchAttributes.BUCKET).orElse(""),
                target.get(),
                keyword(attributes, SensorSearchAttributes.MATCH).orElse(EventTarget.EXACT));
        try {
            return keyword(attributes, SensorSearchAttributes.SENSOR)
                    .flatMap(this::sensor)
                    .map(sensor -> sensor.wokenBy(wanted, object))
                    .orElseGet(() -> wanted.target().equals(object));
        } catch (RuntimeException e) {
            log.debug(
                    "sensor {} cannot say whether {} wakes it",
                    info.getExecution().getWorkflowId(),
                    object,
                    e);
            return false;
        }
    }

    /** The sensor by {@code module.Name}, as the memo names it. */
    private Optional<Sensor> sensor(String qualifiedName) {
        int dot = qualifiedName.lastIndexOf('.');
        return dot < 0
                ? sensors.find("", qualifiedName)
                : sensors.find(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1));
    }

    private Optional<String> keyword(Map<String, Payload> attributes, String name) {
        Payload payload = attributes.get(name);
        return payload == null
                ? Optional.empty()
                : Optional.of(converter.fromPayload(payload, String.class, String.class));
    }

    /**
     * Signals the sensors, each at most once per {@link WakeThrottle#WINDOW} from this replica: now, or at the end of
     * the window with the latest event by then (this call waits for it, at most the window), or not at all when
     * such a signal is already due (the event rides on it). A sensor that ended meanwhile is not woken; any other
     * failure means the event must be retried.
     *
     * @return how many were signalled
     */
    private int signal(ObjectEvent event, List<String> workflowIds) {
        List<Signal> now = new ArrayList<>();
        List<String> later = new ArrayList<>();
        long latestNanos = 0;
        for (String workflowId : workflowIds) {
            WakeThrottle.Decision decision = throttle.decide(workflowId, event, System.nanoTime());
            if (decision instanceof WakeThrottle.Decision.SendNow) {
                now.add(new Signal(workflowId, event));
            } else if (decision instanceof WakeThrottle.Decision.SendLater sendLater) {
                later.add(workflowId);
                latestNanos = Math.max(latestNanos, sendLater.atNanos());
            }
        }
        int woken = send(now);
        if (!later.isEmpty()) {
            sleepUntil(latestNanos);
            List<Signal> due = new ArrayList<>();
            for (String workflowId : later) {
                throttle.takeDue(workflowId, System.nanoTime()).ifPresent(e -> due.add(new Signal(workflowId, e)));
            }
            woken += send(due);
        }
        return woken;
    }

    /** One wake signal: to whom, for which event. */
    private record Signal(String workflowId, ObjectEvent event) {}

    private int send(List<Signal> signals) {
        List<ListenableFuture<SignalWorkflowExecutionResponse>> calls = new ArrayList<>();
        var stub = client.getWorkflowServiceStubs()
                .futureStub()
                .withDeadlineAfter(settings.temporalCallTimeout().toMillis(), TimeUnit.MILLISECONDS);
        for (Signal signal : signals) {
            ObjectEvent event = signal.event();
            calls.add(stub.signalWorkflowExecution(SignalWorkflowExecutionRequest.newBuilder()
                    .setNamespace(settings.namespace())
                    .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(signal.workflowId()))
                    .setSignalName(SensorWorkflow.WAKE)
                    .setInput(converter
                            .toPayloads(new WakeSignal(event.source(), event.id(), event.object(), event.receivedAt()))
                            .orElseThrow())
                    .setIdentity(client.getOptions().getIdentity())
                    .setRequestId(requestId(event, signal.workflowId()))
                    .build()));
        }
        int woken = 0;
        StatusRuntimeException failure = null;
        for (int i = 0; i < calls.size(); i++) {
            try {
                calls.get(i).get(settings.temporalCallTimeout().toMillis(), TimeUnit.MILLISECONDS);
                woken++;
            } catch (ExecutionException e) {
                StatusRuntimeException status = e.getCause() instanceof StatusRuntimeException s
                        ? s
                        : Status.UNKNOWN.withCause(e.getCause()).asRuntimeException();
                if (status.getStatus().getCode() == Status.Code.NOT_FOUND) {
                    log.debug("sensor {} ended before its wake", signals.get(i).workflowId());
                } else {
                    failure = status;
                }
            } catch (TimeoutException e) {
                failure = Status.DEADLINE_EXCEEDED.withCause(e).asRuntimeException();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = Status.CANCELLED.withCause(e).asRuntimeException();
            }
        }
        if (failure != null) {
            // Whatever the cause, the sender should try again: the sensors signalled already take it as a repeat.
            throw new TemporalUnavailableException(
                    "Temporal did not take every wake signal: "
                            + failure.getStatus().getCode()
                            + (failure.getStatus().getDescription() == null
                                    ? ""
                                    : " " + failure.getStatus().getDescription()),
                    failure);
        }
        return woken;
    }

    private static void sleepUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TemporalUnavailableException("interrupted while waiting to signal", e);
        }
    }

    /** The same for every delivery of one event to one sensor: Temporal drops a repeated signal of one run. */
    private static String requestId(ObjectEvent event, String workflowId) {
        return UUID.nameUUIDFromBytes(
                        (event.source() + "\n" + event.id() + "\n" + workflowId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
