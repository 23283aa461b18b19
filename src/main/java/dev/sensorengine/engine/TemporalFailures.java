package dev.sensorengine.engine;

import com.google.protobuf.Any;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.temporal.api.errordetails.v1.NamespaceNotFoundFailure;

/**
 * What a failed Temporal call means for the caller. Only what may pass by itself is "unavailable" (and retried by
 * propeller); everything else keeps its kind, with a message that says what to fix, so that propeller does not
 * retry a misconfiguration forever.
 */
final class TemporalFailures {

    private TemporalFailures() {}

    static EngineException of(StatusRuntimeException e, String namespace) {
        Status status = e.getStatus();
        String said = status.getDescription() == null ? "" : " (" + status.getDescription() + ")";
        return switch (status.getCode()) {
            case PERMISSION_DENIED ->
                new TemporalRefusedException(
                        TemporalRefusedException.Reason.PERMISSION_DENIED,
                        "Temporal refused this service access to namespace '" + namespace + "'" + said
                                + "; grant its identity access, or fix --temporal-api-key / --temporal-tls-cert",
                        e);
            case UNAUTHENTICATED ->
                new TemporalRefusedException(
                        TemporalRefusedException.Reason.UNAUTHENTICATED,
                        "Temporal did not accept this service's credentials" + said
                                + "; fix --temporal-api-key or --temporal-tls-cert and --temporal-tls-key",
                        e);
            case NOT_FOUND ->
                namespaceMissing(e)
                        ? new TemporalRefusedException(
                                TemporalRefusedException.Reason.FAILED_PRECONDITION,
                                "Temporal has no namespace '" + namespace + "'" + said
                                        + "; create it (temporal operator " + "namespace create --namespace "
                                        + namespace + ") or fix --namespace",
                                e)
                        : unavailable(e);
            case INVALID_ARGUMENT ->
                new TemporalRefusedException(
                        TemporalRefusedException.Reason.INVALID_ARGUMENT, "Temporal refused the request" + said, e);
            case FAILED_PRECONDITION ->
                new TemporalRefusedException(
                        TemporalRefusedException.Reason.FAILED_PRECONDITION,
                        "Temporal cannot serve the request now" + said,
                        e);
            case RESOURCE_EXHAUSTED ->
                new TemporalRefusedException(
                        TemporalRefusedException.Reason.RESOURCE_EXHAUSTED,
                        "Temporal is limiting this service's calls" + said + "; retry later, or raise the namespace's "
                                + "rate limits",
                        e);
            default -> unavailable(e);
        };
    }

    /** Temporal did not answer, or failed in a way that may pass: the caller may retry. */
    static TemporalUnavailableException unavailable(StatusRuntimeException e) {
        Status status = e.getStatus();
        return new TemporalUnavailableException(
                "Temporal did not answer: " + status.getCode()
                        + (status.getDescription() == null ? "" : " " + status.getDescription()),
                e);
    }

    private static boolean namespaceMissing(StatusRuntimeException e) {
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        if (details == null) {
            return false;
        }
        for (Any detail : details.getDetailsList()) {
            if (detail.is(NamespaceNotFoundFailure.class)) {
                return true;
            }
        }
        return false;
    }
}
