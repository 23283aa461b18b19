package dev.sensorengine.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.engine.InvalidRequestException;
import dev.sensorengine.engine.ObjectEvent;
import dev.sensorengine.engine.TemporalUnavailableException;
import dev.sensorengine.engine.WakeReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push endpoint over real HTTP: each store's notification as that store sends it (shapes from the providers'
 * documentation, written here by hand), its object handed to the waker with the key decoded, and the status codes
 * that tell a sender whether to retry.
 */
class PushEndpointTest {

    private static final String TOKEN = "s3cr3t-push-token";
    private static final int MAX_BODY = 16 * 1024;

    @TempDir
    Path dir;

    private final RecordingWaker waker = new RecordingWaker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EventSources sources;
    private URI events;

    @BeforeEach
    void start() throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        sources = EventSources.start(
                new EventSettings(Optional.of(new PushSettings(0, tokenFile, MAX_BODY)), SqsSettings.NONE, false),
                java.util.List.of(),
                waker,
                registry,
                Clock.systemUTC(),
                Duration.ofSeconds(2));
        events = URI.create("http://127.0.0.1:" + sources.pushPort().orElseThrow() + "/events");
    }

    @AfterEach
    void stop() {
        sources.close();
    }

    @Test
    void anS3NotificationWakesItsObjectWithTheFormEncodedKeyDecoded() throws Exception {
        // S3 form-encodes keys and leaves '/' as it is: "reports/2024 01/part+1 final.csv".
        String body = """
                {"Records": [{
                  "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1",
                  "eventTime": "2026-11-30T10:00:00.000Z", "eventName": "ObjectCreated:Put",
                  "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
                  "requestParameters": {"sourceIPAddress": "203.0.113.7"},
                  "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
                  "s3": {"s3SchemaVersion": "1.0", "configurationId": "sensor-engine",
                         "bucket": {"name": "landing-zone", "ownerIdentity": {"principalId": "A3NL1KOZZKExample"}, "arn": "arn:aws:s3:::landing-zone"},
                         "object": {"key": "reports/2024+01/part%2B1+final.csv", "size": 1024, "eTag": "d41d8cd98f00b204e9800998ecf8427e", "sequencer": "0055AED6DCD90281E5"}}
                }]}
                """;

        HttpResponse<String> response = post(body, "Authorization", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(waker.calls()).singleElement().satisfies(event -> {
            assertThat(event.object()).isEqualTo("s3://landing-zone/reports/2024 01/part+1 final.csv");
            assertThat(event.source()).isEqualTo("s3");
            assertThat(event.id()).isEqualTo("C3D13FE58DE4C810");
        });
        assertThat(response.body()).contains("\"woken\":1");
        assertThat(count("sensor.events.received", "source", "s3", "outcome", "accepted"))
                .isEqualTo(1);
        assertThat(registry.get("sensor.event.wake.latency")
                        .tag("source", "s3")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(count("sensor.event.sensors", "source", "s3", "result", "woken"))
                .isEqualTo(1);
    }

    @Test
    void theMinioWebhookWakesWithItsSlashesAndSpacesDecoded() throws Exception {
        // MinIO escapes '/' too ("%2F"), and sends the token of its webhook target's auth_token as a bearer token.
        String body = """
                {"EventName": "s3:ObjectCreated:Put", "Key": "datasets/photos/2024/summer beach.jpg",
                 "Records": [{
                   "eventVersion": "2.0", "eventSource": "minio:s3", "awsRegion": "",
                   "eventTime": "2026-11-30T10:00:00.000Z", "eventName": "s3:ObjectCreated:Put",
                   "userIdentity": {"principalId": "minioadmin"},
                   "requestParameters": {"principalId": "minioadmin", "region": "", "sourceIPAddress": "10.0.0.4"},
                   "responseElements": {"x-amz-id-2": "dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8", "x-amz-request-id": "17A0B8C3D2E1F405", "x-minio-deployment-id": "0f6c8a2e-7d3b-4b9e-9f1a-2c5d8e7b6a43", "x-minio-origin-endpoint": "http://10.0.0.4:9000"},
                   "s3": {"s3SchemaVersion": "1.0", "configurationId": "Config",
                          "bucket": {"name": "datasets", "ownerIdentity": {"principalId": "minioadmin"}, "arn": "arn:aws:s3:::datasets"},
                          "object": {"key": "photos%2F2024%2Fsummer+beach.jpg", "size": 2048, "eTag": "1f2e3d4c5b6a79881f2e3d4c5b6a7988", "contentType": "image/jpeg", "userMetadata": {"content-type": "image/jpeg"}, "sequencer": "17A0B8C3D3A1B2C4"}},
                   "source": {"host": "10.0.0.9", "port": "", "userAgent": "MinIO (linux; amd64) minio-go/v7.0.70"}
                 }]}
                """;

        HttpResponse<String> response = post(body, "Authorization", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(waker.calls()).singleElement().satisfies(event -> {
            assertThat(event.object()).isEqualTo("s3://datasets/photos/2024/summer beach.jpg");
            assertThat(event.source()).isEqualTo("minio");
        });
    }

    @Test
    void anEventBridgeObjectCreatedEventWakesWithItsKeyAsItIs() throws Exception {
        // EventBridge does not form-encode keys: a '+' in one is a plus.
        String body = """
                {"version": "0", "id": "17793124-05d4-b198-2fde-7ededc63b103", "detail-type": "Object Created",
                 "source": "aws.s3", "account": "111122223333", "time": "2026-11-30T10:00:00Z", "region": "ca-central-1",
                 "resources": ["arn:aws:s3:::ingest-bucket"],
                 "detail": {"version": "0", "bucket": {"name": "ingest-bucket"},
                            "object": {"key": "raw/2026-11-30T10:00:00/c++ sources.zip", "size": 5, "etag": "b1946ac92492d2347c6235b4d2611184", "sequencer": "617f08299329d189"},
                            "request-id": "N4N7GDK58NMKJ12R", "requester": "123456789012", "source-ip-address": "1.2.3.4", "reason": "PutObject"}}
                """;

        HttpResponse<String> response = post(body, "Authorization", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(waker.calls()).singleElement().satisfies(event -> {
            assertThat(event.object()).isEqualTo("s3://ingest-bucket/raw/2026-11-30T10:00:00/c++ sources.zip");
            assertThat(event.source()).isEqualTo("eventbridge");
            assertThat(event.id()).isEqualTo("17793124-05d4-b198-2fde-7ededc63b103");
        });
    }

    @Test
    void eventBridgeEventsOtherThanObjectCreatedAreAcknowledgedAndWakeNothing() throws Exception {
        String body = """
                {"version": "0", "id": "2ee9cc15-d022-99ea-1fb8-1b1bac4850f9", "detail-type": "Object Deleted",
                 "source": "aws.s3", "account": "111122223333", "time": "2026-11-30T10:00:00Z", "region": "ca-central-1",
                 "resources": ["arn:aws:s3:::ingest-bucket"],
                 "detail": {"version": "0", "bucket": {"name": "ingest-bucket"}, "object": {"key": "old.csv", "sequencer": "617f0837b476e463"},
                            "request-id": "0BH729840619AG5K", "requester": "123456789012", "source-ip-address": "1.2.3.4", "reason": "DeleteObject", "deletion-type": "Permanently Deleted"}}
                """;

        HttpResponse<String> response = post(body, "Authorization", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Object Deleted");
        assertThat(waker.calls()).isEmpty();
        assertThat(count("sensor.events.received", "source", "eventbridge", "outcome", "ignored"))
                .isEqualTo(1);
    }

    @Test
    void aPubSubPushOfAGcsFinalizeWakesWithOurTokenInTheQueryBesideGooglesOwnBearerToken() throws Exception {
        String body = """
                {"message": {
                   "attributes": {"bucketId": "analytics-exports", "eventTime": "2026-11-30T10:00:00.123456Z",
                                  "eventType": "OBJECT_FINALIZE", "notificationConfig": "projects/_/buckets/analytics-exports/notificationConfigs/3",
                                  "objectGeneration": "1764496800123456", "objectId": "daily/2026-11-30/part 0001.parquet",
                                  "overwroteGeneration": "1764410400654321", "payloadFormat": "JSON_API_V1"},
                   "data": "eyJraW5kIjoic3RvcmFnZSNvYmplY3QifQ==",
                   "messageId": "13093839212418421", "message_id": "13093839212418421",
                   "publishTime": "2026-11-30T10:00:00.321Z", "publish_time": "2026-11-30T10:00:00.321Z"},
                 "subscription": "projects/flyte-data/subscriptions/sensor-engine-push"}
                """;
        URI withToken = URI.create(events + "?token=" + TOKEN);

        // Pub/Sub sends its own OIDC token in the header, not ours.
        HttpResponse<String> response = post(withToken, body, "Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(waker.calls()).singleElement().satisfies(event -> {
            assertThat(event.object()).isEqualTo("gs://analytics-exports/daily/2026-11-30/part 0001.parquet");
            assertThat(event.source()).isEqualTo("gcs");
            assertThat(event.id()).isEqualTo("13093839212418421");
        });
    }

    @Test
    void gcsEventsOtherThanFinalizeAreAcknowledgedAndWakeNothing() throws Exception {
        String body = """
                {"message": {"attributes": {"bucketId": "analytics-exports", "eventType": "OBJECT_DELETE",
                                            "objectId": "daily/old.parquet", "payloadFormat": "JSON_API_V1"},
                             "data": "e30=", "messageId": "13093839212418422"},
                 "subscription": "projects/flyte-data/subscriptions/sensor-engine-push"}
                """;

        HttpResponse<String> response = post(URI.create(events + "?token=" + TOKEN), body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(waker.calls()).isEmpty();
    }

    @Test
    void aBinaryModeCloudEventNamesItsObjectInTheSubject() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(events)
                .header("Authorization", "Bearer " + TOKEN)
                .header("ce-specversion", "1.0")
                .header("ce-id", "b7c2a8e4-3f51-4d0a-9a36-7e0f5d2c1b98")
                .header("ce-source", "https://ingest.example.com/uploader")
                .header("ce-type", "com.example.object.created")
                .header("ce-subject", "s3://landing-zone/incoming/2026-11-30/_SUCCESS")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"size\": 0}"))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(waker.calls()).singleElement().satisfies(event -> {
            assertThat(event.object()).isEqualTo("s3://landing-zone/incoming/2026-11-30/_SUCCESS");
            assertThat(event.source()).isEqualTo("cloudevents");
            assertThat(event.id()).isEqualTo("b7c2a8e4-3f51-4d0a-9a36-7e0f5d2c1b98");
        });
    }

    @Test
    void aStructuredModeCloudStorageEventAsEventarcSendsItWakesItsObject() throws Exception {
        String body = """
                {"specversion": "1.0", "id": "8473928475629384", "type": "google.cloud.storage.object.v1.finalized",
                 "source": "//storage.googleapis.com/projects/_/buckets/analytics-exports",
                 "subject": "objects/daily/2026-11-30/_SUCCESS", "time": "2026-11-30T10:00:00.123Z",
                 "datacontenttype": "application/json",
                 "data": {"kind": "storage#object", "bucket": "analytics-exports", "name": "daily/2026-11-30/_SUCCESS",
                          "generation": "1764496800123456", "metageneration": "1", "contentType": "text/plain",
                          "size": "0", "timeCreated": "2026-11-30T10:00:00.120Z", "updated": "2026-11-30T10:00:00.120Z"}}
                """;

        HttpResponse<String> response =
                post(body, "Authorization", "Bearer " + TOKEN, "Content-Type", "application/cloudevents+json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(waker.objects()).containsExactly("gs://analytics-exports/daily/2026-11-30/_SUCCESS");
    }

    @Test
    void aStructuredModeCloudEventMayNameItsObjectInItsData() throws Exception {
        String body = """
                {"specversion": "1.0", "id": "evt-42", "type": "com.example.file.written",
                 "source": "/batch/exporter", "datacontenttype": "application/json",
                 "data": {"object": "/data/exports/ready/_SUCCESS"}}
                """;

        HttpResponse<String> response = post(
                body,
                "Authorization",
                "Bearer " + TOKEN,
                "Content-Type",
                "application/cloudevents+json; charset=utf-8");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(waker.objects()).containsExactly("/data/exports/ready/_SUCCESS");
    }

    @Test
    void aCloudEventThatNamesNoObjectIsRefusedWithTheReason() throws Exception {
        String body = """
                {"specversion": "1.0", "id": "evt-43", "type": "com.example.heartbeat", "source": "/monitor",
                 "subject": "not an object", "data": {"ok": true}}
                """;

        HttpResponse<String> response =
                post(body, "Authorization", "Bearer " + TOKEN, "Content-Type", "application/cloudevents+json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("names no object").contains("subject");
        assertThat(waker.calls()).isEmpty();
    }

    @Test
    void everyRecordOfAMessageIsWokenBeforeTheAnswer() throws Exception {
        String body = """
                {"Records": [
                  {"eventSource": "aws:s3", "eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "b"}, "object": {"key": "one.csv"}}},
                  {"eventSource": "aws:s3", "eventName": "ObjectRemoved:Delete", "s3": {"bucket": {"name": "b"}, "object": {"key": "gone.csv"}}},
                  {"eventSource": "aws:s3", "eventName": "ObjectCreated:CompleteMultipartUpload", "s3": {"bucket": {"name": "b"}, "object": {"key": "two.csv"}}}
                ]}
                """;

        HttpResponse<String> response = post(body, "Authorization", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(waker.objects()).containsExactly("s3://b/one.csv", "s3://b/two.csv");
    }

    @Test
    void temporalUnavailableAnswers503SoThatTheSenderRetries() throws Exception {
        waker.answer(event -> {
            throw new TemporalUnavailableException("deadline exceeded", null);
        });

        HttpResponse<String> response = post(s3Notification("b", "k"), "Authorization", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.body()).contains("Temporal is unavailable");
        assertThat(count("sensor.events.received", "source", "s3", "outcome", "unavailable"))
                .isEqualTo(1);
    }

    @Test
    void aDeploymentThatCannotTakeEventsSaysWhyWith501() throws Exception {
        waker.answer(event -> {
            throw new InvalidRequestException("the in-memory Temporal server has no visibility queries");
        });

        HttpResponse<String> response = post(s3Notification("b", "k"), "Authorization", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(501);
        assertThat(response.body()).contains("no visibility queries");
    }

    @Test
    void noTokenOrAWrongOneIs401AndTouchesNoSensor() throws Exception {
        String body = s3Notification("b", "k");

        assertThat(post(body).statusCode()).isEqualTo(401);
        assertThat(post(body, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(post(body, "Authorization", "Bearer " + TOKEN + "x").statusCode())
                .isEqualTo(401);
        assertThat(post(body, "Authorization", "Basic " + TOKEN).statusCode()).isEqualTo(401);
        assertThat(post(URI.create(events + "?token=wrong"), body).statusCode()).isEqualTo(401);
        HttpResponse<String> response = post(URI.create(events + "?tok=" + TOKEN), body);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(waker.calls()).isEmpty();
        assertThat(count("sensor.events.received", "source", "http", "outcome", "unauthorized"))
                .isEqualTo(6);
    }

    @Test
    void snsIsRefusedWithThePathToTake() throws Exception {
        String body = """
                {"Type": "SubscriptionConfirmation", "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
                 "Token": "2336412f37f", "TopicArn": "arn:aws:sns:us-west-2:123456789012:MyTopic",
                 "Message": "You have chosen to subscribe to the topic", "SubscribeURL": "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription",
                 "Timestamp": "2026-11-30T10:00:00.000Z", "SignatureVersion": "1", "Signature": "EXAMPLE", "SigningCertURL": "https://sns.us-west-2.amazonaws.com/x.pem"}
                """;

        HttpResponse<String> response = post(
                URI.create(events + "?token=" + TOKEN), body, "x-amz-sns-message-type", "SubscriptionConfirmation");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("--events-sqs-queue");
        assertThat(waker.calls()).isEmpty();
    }

    @Test
    void garbageIs400WithAReasonAndTheServerStaysHealthy() throws Exception {
        byte[] noise = new byte[4096];
        ThreadLocalRandom.current().nextBytes(noise);
        HttpResponse<String> binary = http.send(
                HttpRequest.newBuilder(events)
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(noise))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unknownJson = post("{\"hello\": \"world\"}", "Authorization", "Bearer " + TOKEN);
        HttpResponse<String> badKey = post(s3Notification("b", "50%-off"), "Authorization", "Bearer " + TOKEN);
        HttpResponse<String> brokenCloudEvent = post(
                "{\"specversion\": \"1.0\"",
                "Authorization",
                "Bearer " + TOKEN,
                "Content-Type",
                "application/cloudevents+json");

        assertThat(binary.statusCode()).isEqualTo(400);
        assertThat(binary.body()).contains("not JSON");
        assertThat(unknownJson.statusCode()).isEqualTo(400);
        assertThat(unknownJson.body()).contains("unknown event format").contains("Records");
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(badKey.body()).contains("form-URL-encoded");
        assertThat(brokenCloudEvent.statusCode()).isEqualTo(400);
        assertThat(waker.calls()).isEmpty();
        assertStillServing();
    }

    @Test
    void oversizedBodiesAre413WhetherAnnouncedOrChunked() throws Exception {
        byte[] large =
                ("{\"Records\": [], \"pad\": \"" + "x".repeat(MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> announced = http.send(
                HttpRequest.newBuilder(events)
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(large))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        // No length given: the JDK's client sends it chunked, and the limit is found while reading.
        HttpResponse<String> chunked = http.send(
                HttpRequest.newBuilder(events)
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(announced.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("--events-max-body-size");
        assertThat(waker.calls()).isEmpty();
        assertStillServing();
    }

    @Test
    void stoppingFinishesARequestUnderWayAndTurnsNewOnesAwayWith503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        waker.answer(event -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new WakeReport(1, 1, 0);
        });
        CompletableFuture<HttpResponse<String>> underWay = http.sendAsync(
                HttpRequest.newBuilder(events)
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(s3Notification("b", "in-flight")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> !waker.calls().isEmpty());

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(sources::close);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(
                                post(s3Notification("b", "too-late"), "Authorization", "Bearer " + TOKEN)
                                        .statusCode())
                        .isEqualTo(503));
        release.countDown();

        assertThat(underWay.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        stopping.get(10, TimeUnit.SECONDS);
        assertThat(waker.objects()).containsExactly("s3://b/in-flight");
    }

    @Test
    void onlyPostIsTaken() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(events)
                        .header("Authorization", "Bearer " + TOKEN)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("POST");
    }

    private void assertStillServing() throws Exception {
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(events.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> good = post(s3Notification("after", "garbage.csv"), "Authorization", "Bearer " + TOKEN);
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(waker.calls()).extracting(ObjectEvent::object).containsExactly("s3://after/garbage.csv");
    }

    private static String s3Notification(String bucket, String key) {
        return """
                {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                  "s3": {"bucket": {"name": "%s"}, "object": {"key": "%s", "size": 1}}}]}
                """.formatted(bucket, key);
    }

    private HttpResponse<String> post(String body, String... headers) throws Exception {
        return post(events, body, headers);
    }

    private HttpResponse<String> post(URI uri, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!typed) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @SuppressWarnings("unused")
    private static WakeReport none(ObjectEvent event) {
        return WakeReport.NONE;
    }
}
