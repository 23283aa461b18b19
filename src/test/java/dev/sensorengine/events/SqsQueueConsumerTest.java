package dev.sensorengine.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sensorengine.engine.ObjectEvent;
import dev.sensorengine.engine.TemporalUnavailableException;
import dev.sensorengine.engine.WakeReport;
import dev.sensorengine.testing.MotoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * S3 to SQS for real, on moto's server: a bucket notifies a queue (moto, like S3, first sends {@code s3:TestEvent}
 * and form-encodes keys), the consumer long-polls it, hands each object to the waker, and deletes a message only once
 * the waker returned.
 */
class SqsQueueConsumerTest {

    @TempDir
    static Path motoDir;

    private static MotoServer moto;
    private static S3Client s3;
    private static SqsClient sqs;

    private final RecordingWaker waker = new RecordingWaker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private String bucket;
    private String queueUrl;
    private EventSources sources;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start(motoDir);
        // Region and credentials from the SDK's default chain: the pom's aws.* system properties, as in production.
        s3 = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(moto.endpoint())
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
        sqs = SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(moto.endpoint())
                .build();
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (moto != null) {
            s3.close();
            sqs.close();
            moto.close();
        }
    }

    @BeforeEach
    void bucketNotifiesQueue() {
        String name = "events-" + UUID.randomUUID().toString().substring(0, 8);
        bucket = name;
        queueUrl = sqs.createQueue(request -> request.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(
                        request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        s3.createBucket(request -> request.bucket(bucket));
        s3.putBucketNotificationConfiguration(request -> request.bucket(bucket)
                .notificationConfiguration(config -> config.queueConfigurations(
                        queue -> queue.id("sensor-engine").queueArn(queueArn).events(Event.S3_OBJECT_CREATED))));
    }

    @AfterEach
    void stop() {
        if (sources != null) {
            sources.close();
        }
    }

    @Test
    void anObjectPutIntoTheBucketReachesTheWakerWithItsKeyDecodedAndTheMessagesAreDeleted() throws Exception {
        consume(Duration.ofSeconds(10));

        s3.putObject(
                request -> request.bucket(bucket).key("daily reports/2026/11 30/part+1.csv"),
                RequestBody.fromString("x"));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(waker.calls()).singleElement().satisfies(event -> {
                    assertThat(event.object()).isEqualTo("s3://" + bucket + "/daily reports/2026/11 30/part+1.csv");
                    assertThat(event.source()).isEqualTo("sqs");
                }));
        // S3's test message, sent when the notification was configured, is deleted and wakes nothing.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(count("ignored")).isEqualTo(1);
            assertThat(count("accepted")).isEqualTo(1);
            assertThat(messagesInQueue()).isZero();
        });
        assertThat(registry.get("sensor.event.wake.latency")
                        .tag("source", "sqs")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aMessageWhoseSensorsCouldNotBeWokenComesBackAndIsDeletedOnceTheyAre() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        waker.answer(event -> {
            if (attempts.incrementAndGet() == 1) {
                throw new TemporalUnavailableException("Temporal is restarting", null);
            }
            return new WakeReport(1, 1, 0);
        });
        consume(Duration.ofSeconds(10));

        s3.putObject(request -> request.bucket(bucket).key("retry/me.csv"), RequestBody.fromString("x"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(waker.calls()).hasSize(2);
            assertThat(messagesInQueue()).isZero();
        });
        List<ObjectEvent> calls = waker.calls();
        assertThat(calls).extracting(ObjectEvent::object).containsOnly("s3://" + bucket + "/retry/me.csv");
        assertThat(calls.get(0).id()).isEqualTo(calls.get(1).id());
        assertThat(count("unavailable")).isEqualTo(1);
        assertThat(count("accepted")).isEqualTo(1);
    }

    @Test
    void aHandlingSlowerThanTheVisibilityTimeoutKeepsItsMessageHidden() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        waker.answer(event -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new WakeReport(1, 1, 0);
        });
        // A visibility timeout of 2 s, renewed every 2/3 s while the handling waits.
        consume(Duration.ofSeconds(2));
        s3.putObject(request -> request.bucket(bucket).key("slow.csv"), RequestBody.fromString("x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !waker.calls().isEmpty());

        // Well past the 2 s timeout, another consumer still could not receive it.
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(8))
                .until(() -> visibleMessages() == 0 && messagesInQueue() == 1);
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> messagesInQueue() == 0);
        assertThat(waker.calls()).hasSize(1);
    }

    @Test
    void stoppingLetsAHandlingUnderWayFinishAndDeleteItsMessage() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        waker.answer(event -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new WakeReport(1, 1, 0);
        });
        consume(Duration.ofSeconds(10));
        s3.putObject(request -> request.bucket(bucket).key("finishing.csv"), RequestBody.fromString("x"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !waker.calls().isEmpty());

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(sources::close);
        // Stopping waits for the handling rather than cut it off.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !stopping.isDone());
        release.countDown();
        stopping.get(10, TimeUnit.SECONDS);

        assertThat(count("accepted")).isEqualTo(1);
        assertThat(messagesInQueue()).isZero();
    }

    @Test
    void anSnsWrappedNotificationIsReadAndGarbageIsDeleted() throws Exception {
        consume(Duration.ofSeconds(10));
        String s3Notification = "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\","
                + "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"via-sns\"},"
                + "\"object\":{\"key\":\"a%2Fb+c.txt\",\"size\":1}}}]}";
        String snsEnvelope = Json.write(Map.of(
                "Type", "Notification",
                "MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
                "TopicArn", "arn:aws:sns:us-east-1:123456789012:uploads",
                "Subject", "Amazon S3 Notification",
                "Message", s3Notification,
                "Timestamp", "2026-11-30T10:00:00.000Z",
                "SignatureVersion", "1",
                "Signature", "EXAMPLE"));

        sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody(snsEnvelope));
        sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody("\u0000not json at all"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(waker.objects()).containsExactly("s3://via-sns/a/b c.txt");
            assertThat(count("refused")).isEqualTo(1);
            assertThat(messagesInQueue()).isZero();
        });
    }

    private void consume(Duration visibilityTimeout) throws Exception {
        sources = EventSources.start(
                new EventSettings(
                        Optional.empty(),
                        new SqsSettings(
                                List.of(queueUrl),
                                Optional.of(moto.endpoint()),
                                Duration.ofSeconds(1),
                                visibilityTimeout,
                                Duration.ofSeconds(1)),
                        false),
                List.of(),
                waker,
                registry,
                Clock.systemUTC(),
                Duration.ofSeconds(5));
    }

    private double count(String outcome) {
        var counter = registry.find("sensor.events.received")
                .tags("source", "sqs", "outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** Messages in the queue, visible or being handled. */
    private int messagesInQueue() {
        Map<QueueAttributeName, String> attributes = attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private int visibleMessages() {
        return Integer.parseInt(attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private Map<QueueAttributeName, String> attributes() {
        return sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
    }
}
