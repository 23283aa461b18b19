package dev.sensorengine.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorengine.workflow.Backoff;
import dev.sensorengine.workflow.Json;
import dev.sensorengine.workflow.PokePolicy;
import dev.sensorengine.workflow.SensorSpec;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.sdk.v1.UserMetadata;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary and details a sensor's page in the Temporal UI shows (ui.TemporalUiTest sees them in the browser). */
class UiMetadataTest {

    private static final DataConverter CONVERTER = Json.dataConverter();
    private static final Instant CREATED = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void aFileSensorSaysWhatItWaitsForHowOftenAndUntilWhen() {
        SensorSpec spec = fileSensor(
                new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10), Duration.ofDays(7)));
        Map<String, Object> memo = memo("s3://b/k");

        UserMetadata metadata = UiMetadata.of(spec, memo, CONVERTER);

        assertThat(text(metadata.getSummary())).isEqualTo("FileSensor: s3://b/k");
        assertThat(metadata.getSummary().getMetadataMap().get("encoding").toStringUtf8())
                .isEqualTo("json/plain");
        assertThat(text(metadata.getDetails())).isEqualTo("""
                **FileSensor** waits for `s3://b/k`

                - **Sensor:** `flytekit.sensor.file_sensor.FileSensor`
                - **Flyte execution:** `proj/dev/exec-1`, node `n0`, retry attempt 2
                - **Pokes:** every 30s (fixed); after a poke error, backing off up to 10m
                - **Next poke:** tab *Pending Activities*, activity `Poke`: *Next Retry* says when, *Attempt* which \
                poke it will be, *Last Failure* what the latest poke found
                - **Timeout:** 7d from creation at 2026-11-28T12:00:00Z
                - **Deadline:** 2026-12-05T12:00:00Z
                - **This Flyte execution's sensors:** `FlyteExecution = "proj/dev/exec-1"`
                """);
    }

    @Test
    void exponentialBackoffAndATimerSayWhatTheyDo() {
        SensorSpec exponential = fileSensor(new PokePolicy(
                Duration.ofSeconds(5), Backoff.EXPONENTIAL, Duration.ofMinutes(5), Duration.ofHours(12)));
        assertThat(UiMetadata.details(exponential, memo("/data/x")))
                .contains("- **Pokes:** from every 5s, doubling up to 5m (exponential backoff)");

        SensorSpec timer = new SensorSpec(
                "flytekit.sensor.time_sensor",
                "TimeDeltaSensor",
                Map.of(),
                Map.of("delta", "PT1H"),
                new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofSeconds(30), Duration.ofDays(1)),
                CREATED,
                CREATED.plus(Duration.ofHours(1)));
        String details = UiMetadata.details(timer, Map.of("target", "a delay of PT1H"));
        assertThat(UiMetadata.summary(timer, Map.of("target", "a delay of PT1H")))
                .isEqualTo("TimeDeltaSensor: a delay of PT1H");
        assertThat(details)
                .contains("- **Fires at:** 2026-11-28T13:00:00Z (a durable timer: no pokes)")
                .doesNotContain("Pokes:")
                .doesNotContain("Flyte execution");
    }

    @Test
    void targetsAreCodeWhateverTheyHoldAndOneLine() {
        SensorSpec spec = fileSensor(
                new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10), Duration.ofDays(7)));
        String details = UiMetadata.details(spec, memo("s3://b/odd`name\n**bold**"));

        assertThat(details).startsWith("**FileSensor** waits for `` s3://b/odd`name **bold** ``\n");
        assertThat(UiMetadata.summary(spec, memo("/a\nb"))).isEqualTo("FileSensor: /a b");
        assertThat(UiMetadata.summary(spec, Map.of())).isEqualTo("FileSensor");
    }

    @Test
    void aLongTargetIsShortenedToTheServersLimitsOnWholeCharacters() {
        SensorSpec spec = fileSensor(
                new PokePolicy(Duration.ofSeconds(30), Backoff.FIXED, Duration.ofMinutes(10), Duration.ofDays(7)));
        // 600 characters, each two bytes of UTF-8, with an emoji (a surrogate pair) across the cut.
        String target = "s3://b/" + "é".repeat(300) + "\uD83D\uDE00".repeat(150);

        UserMetadata metadata = UiMetadata.of(spec, memo(target), CONVERTER);

        assertThat(metadata.getSummary().getSerializedSize()).isLessThanOrEqualTo(UiMetadata.MAX_SUMMARY_BYTES);
        assertThat(metadata.getSummary().getSerializedSize()).isGreaterThan(UiMetadata.MAX_SUMMARY_BYTES - 20);
        String summary = text(metadata.getSummary());
        assertThat(summary).startsWith("FileSensor: s3://b/éé").endsWith("\u2026");
        assertThat(Character.isHighSurrogate(summary.charAt(summary.length() - 2)))
                .isFalse();
        assertThat(text(metadata.getDetails())).contains(target);

        Payload huge = UiMetadata.fit("x".repeat(50_000), UiMetadata.MAX_DETAILS_BYTES, CONVERTER);
        assertThat(huge.getSerializedSize()).isBetween(UiMetadata.MAX_DETAILS_BYTES - 20, UiMetadata.MAX_DETAILS_BYTES);
    }

    private static SensorSpec fileSensor(PokePolicy policy) {
        return new SensorSpec(
                "flytekit.sensor.file_sensor", "FileSensor", Map.of(), Map.of("path", "s3://b/k"), policy, CREATED);
    }

    private static Map<String, Object> memo(String target) {
        Map<String, Object> memo = new LinkedHashMap<>();
        memo.put("sensor", "flytekit.sensor.file_sensor.FileSensor");
        memo.put("target", target);
        memo.put("flyte_execution", "proj/dev/exec-1");
        memo.put("flyte_node", "n0");
        memo.put("flyte_retry_attempt", 2);
        return memo;
    }

    private static String text(Payload payload) {
        return CONVERTER.fromPayload(payload, String.class, String.class);
    }
}
