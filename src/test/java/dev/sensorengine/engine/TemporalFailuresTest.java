package dev.sensorengine.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.temporal.api.errordetails.v1.NamespaceNotFoundFailure;
import org.junit.jupiter.api.Test;

/** Only what may pass by itself is "unavailable"; a refusal keeps its kind and says what to fix. */
class TemporalFailuresTest {

    @Test
    void transientFailuresAreUnavailable() {
        for (Status status : new Status[] {
            Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.ABORTED, Status.INTERNAL, Status.UNKNOWN
        }) {
            assertThat(TemporalFailures.of(status.withDescription("x").asRuntimeException(), "ns"))
                    .as(status.getCode().toString())
                    .isInstanceOf(TemporalUnavailableException.class);
        }
    }

    @Test
    void refusalsKeepTheirKindAndSayWhatToFix() {
        assertThat(refusal(Status.PERMISSION_DENIED.withDescription("Request unauthorized.")))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(TemporalRefusedException.Reason.PERMISSION_DENIED))
                .hasMessageContaining("namespace 'sensors'")
                .hasMessageContaining("--temporal-api-key");
        assertThat(refusal(Status.UNAUTHENTICATED))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(TemporalRefusedException.Reason.UNAUTHENTICATED))
                .hasMessageContaining("--temporal-tls-cert");
        assertThat(refusal(Status.INVALID_ARGUMENT.withDescription("WorkflowId length exceeds limit.")))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(TemporalRefusedException.Reason.INVALID_ARGUMENT))
                .hasMessageContaining("WorkflowId length exceeds limit.");
        assertThat(refusal(Status.RESOURCE_EXHAUSTED.withDescription("namespace rate limit exceeded")))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(TemporalRefusedException.Reason.RESOURCE_EXHAUSTED));
    }

    @Test
    void aMissingNamespaceIsAPreconditionButAMissingWorkflowIsNot() {
        com.google.rpc.Status namespaceMissing = com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.NOT_FOUND.value())
                .setMessage("Namespace sensors is not found.")
                .addDetails(Any.pack(NamespaceNotFoundFailure.newBuilder()
                        .setNamespace("sensors")
                        .build()))
                .build();

        assertThat(refusal(StatusProto.toStatusRuntimeException(namespaceMissing)))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(TemporalRefusedException.Reason.FAILED_PRECONDITION))
                .hasMessageContaining("no namespace 'sensors'")
                .hasMessageContaining("temporal operator namespace create");
        assertThat(TemporalFailures.of(Status.NOT_FOUND.asRuntimeException(), "sensors"))
                .isInstanceOf(TemporalUnavailableException.class);
    }

    private static TemporalRefusedException refusal(Status status) {
        return refusal(status.asRuntimeException());
    }

    private static TemporalRefusedException refusal(StatusRuntimeException e) {
        EngineException failure = TemporalFailures.of(e, "sensors");
        assertThat(failure).isInstanceOf(TemporalRefusedException.class);
        return (TemporalRefusedException) failure;
    }
}
