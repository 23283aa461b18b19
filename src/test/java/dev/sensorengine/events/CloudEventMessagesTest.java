package dev.sensorengine.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CloudEvents as the CloudEvents SDK itself writes them for HTTP, in both modes, read back into objects; and the
 * rules that say which part of an event names its object.
 */
class CloudEventMessagesTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void binaryModeAsTheSdkWritesIt() {
        CloudEvent event = CloudEventBuilder.v1()
                .withId("e-1")
                .withSource(URI.create("/uploader"))
                .withType("com.example.object.created")
                .withSubject("gs://exports/daily/part 1.csv")
                .withData("application/json", "{}".getBytes(StandardCharsets.UTF_8))
                .build();

        Parsed parsed = read(binary(event));

        assertThat(parsed).isEqualTo(objects("e-1", "gs://exports/daily/part 1.csv"));
    }

    @Test
    void structuredModeAsTheSdkWritesIt() {
        CloudEvent event = CloudEventBuilder.v1()
                .withId("e-2")
                .withSource(URI.create("/exporter"))
                .withType("com.example.file.written")
                .withData(
                        "application/json",
                        "{\"object\": \"file:///data/out/a%20b/_SUCCESS\"}".getBytes(StandardCharsets.UTF_8))
                .build();

        Parsed parsed = read(structured(event));

        assertThat(parsed).isEqualTo(objects("e-2", "/data/out/a b/_SUCCESS"));
    }

    @Test
    void aCloudStorageEventWithoutDataIsNamedBySourceAndSubject() {
        CloudEvent event = CloudEventBuilder.v1()
                .withId("e-3")
                .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/exports"))
                .withType("google.cloud.storage.object.v1.finalized")
                .withSubject("objects/daily/_SUCCESS")
                .build();

        assertThat(read(binary(event))).isEqualTo(objects("e-3", "gs://exports/daily/_SUCCESS"));
    }

    @Test
    void otherCloudStorageEventsWakeNothing() {
        CloudEvent event = CloudEventBuilder.v1()
                .withId("e-4")
                .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/exports"))
                .withType("google.cloud.storage.object.v1.deleted")
                .withSubject("objects/daily/_SUCCESS")
                .build();

        assertThat(read(binary(event))).isInstanceOf(Parsed.Ignored.class);
    }

    @Test
    void anS3NotificationCarriedAsDataCountsAsACloudEvent() {
        String notification = "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": {\"name\": "
                + "\"b\"}, \"object\": {\"key\": \"x+y%2Fz\"}}}]}";
        CloudEvent event = CloudEventBuilder.v1()
                .withId("e-5")
                .withSource(URI.create("/bridge"))
                .withType("com.amazonaws.s3.notification")
                .withData("application/json", notification.getBytes(StandardCharsets.UTF_8))
                .build();

        assertThat(read(structured(event))).isEqualTo(objects("e-5", "s3://b/x y/z"));
    }

    @Test
    void subjectsThatAreNotObjectNamesDoNotCount() {
        for (String subject :
                List.of("relative/path", "s3://bucket-only", "s3://bucket/", "ftp://host/x", "file:///")) {
            CloudEvent event = CloudEventBuilder.v1()
                    .withId("e-6")
                    .withSource(URI.create("/x"))
                    .withType("t")
                    .withSubject(subject)
                    .build();

            assertThat(read(binary(event))).as(subject).isInstanceOf(Parsed.Unrecognized.class);
        }
    }

    private static Parsed read(Request request) {
        return CloudEventMessages.read(request.headers(), request.body(), NOW);
    }

    private static Parsed.Objects objects(String id, String object) {
        return new Parsed.Objects(
                "cloudevents", List.of(new dev.sensorengine.engine.ObjectEvent("cloudevents", id, object, NOW)));
    }

    private record Request(Map<String, List<String>> headers, byte[] body) {}

    /** The SDK's writer, which passes no body (null) for an event without data. */
    private static Request binary(CloudEvent event) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpMessageFactory.createWriter(
                        (name, value) -> headers.computeIfAbsent(name, n -> new ArrayList<>())
                                .add(value),
                        bytes -> body.writeBytes(bytes == null ? new byte[0] : bytes))
                .writeBinary(event);
        return new Request(headers, body.toByteArray());
    }

    private static Request structured(CloudEvent event) {
        EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpMessageFactory.createWriter(
                        (name, value) -> headers.computeIfAbsent(name, n -> new ArrayList<>())
                                .add(value),
                        bytes -> body.writeBytes(bytes == null ? new byte[0] : bytes))
                .writeStructured(event, format);
        return new Request(headers, body.toByteArray());
    }
}
