package dev.sensorengine.facade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorengine.engine.InvalidRequestException;
import dev.sensorengine.engine.TemporalUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StatusesTest {

    @Test
    void aDescriptionQuotingAHugeValueIsCutToWhatAClientAccepts() {
        // Found by ApiFuzzTest: a 10,000-character task type, quoted in NOT_FOUND's description, made a trailer over
        // the client's 8 KiB header limit, so the caller saw INTERNAL (RST_STREAM) instead of NOT_FOUND.
        StatusRuntimeException ascii = Statuses.of(TaskCategories.notServed(" ".repeat(10_000) + " v0"));
        StatusRuntimeException controls =
                Statuses.of(new InvalidRequestException("bad: " + "\u0000\u00e9".repeat(5_000)));

        assertThat(ascii.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(ascii.getStatus().getDescription())
                .startsWith("no connector here serves task category '")
                .endsWith("\u2026")
                .hasSizeLessThanOrEqualTo(Statuses.MAX_DESCRIPTION_BYTES);
        assertThat(controls.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(controls.getStatus().getDescription())
                .startsWith("bad: ")
                .endsWith("\u2026")
                .hasSizeBetween(
                        Statuses.MAX_DESCRIPTION_BYTES / 9 * 2 - 10, Statuses.MAX_DESCRIPTION_BYTES / 9 * 2 + 10);
    }

    @Test
    void anOrdinaryDescriptionIsKeptWhole() {
        String message = "resource_meta is empty; pass the bytes CreateTask returned";

        assertThat(Statuses.of(new InvalidRequestException(message)).getStatus().getDescription())
                .isEqualTo(message);
        assertThat(Statuses.shorten("50% done \u00e9")).isEqualTo("50% done \u00e9");
    }

    @Test
    void anAsynchronousCallsFailureMapsAsTheFailureItself() {
        // The engine's stages fail with their cause wrapped, as futures wrap it; the caller must see the cause's code.
        var unavailable = new TemporalUnavailableException("Temporal did not answer: UNAVAILABLE", null);

        assertThat(Statuses.of(new CompletionException(unavailable)).getStatus().getCode())
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(Statuses.of(new CompletionException(new InvalidRequestException("bad meta")))
                        .getStatus())
                .satisfies(status -> assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .satisfies(status -> assertThat(status.getDescription()).isEqualTo("bad meta"));
    }
}
