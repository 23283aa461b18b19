package dev.sensorengine.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sensorengine.events.EventSettings;
import dev.sensorengine.events.SqsSettings;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.TaskCategory;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution.Phase;
import dev.sensorengine.flyteidl.service.AsyncAgentServiceGrpc.AsyncAgentServiceBlockingStub;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.runtime.ServiceConfig;
import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.testing.MotoServer;
import dev.sensorengine.testing.RealTemporal;
import dev.sensorengine.testing.ServiceUnderTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The standard AWS path end to end, with moto's server as S3 and SQS and the real Temporal dev server: a bucket notifies
 * a queue, the service long-polls it, and a FileSensor that pokes hourly succeeds within seconds of the object's put.
 * Only the event can explain that; the key has a space and a slash, which S3 form-encodes in the notification.
 */
class S3EventsEndToEndTest {

    private static final TaskCategory SENSOR =
            TaskCategory.newBuilder().setName("sensor").setVersion(0).build();

    @TempDir
    Path motoDir;

    @Test
    void anObjectPutIntoS3EndsAnHourlySensorWithinSeconds() throws Exception {
        try (MotoServer moto = MotoServer.start(motoDir);
                S3Client s3 = S3Client.builder()
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .endpointOverride(moto.endpoint())
                        .forcePathStyle(true)
                        .build();
                SqsClient sqs = SqsClient.builder()
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .endpointOverride(moto.endpoint())
                        .build()) {
            String queueUrl = sqs.createQueue(request -> request.queueName("landing-events"))
                    .queueUrl();
            String queueArn = sqs.getQueueAttributes(
                            request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            s3.createBucket(request -> request.bucket("landing"));
            s3.putBucketNotificationConfiguration(request -> request.bucket("landing")
                    .notificationConfiguration(config -> config.queueConfigurations(queue ->
                            queue.id("sensor-engine").queueArn(queueArn).events(Event.S3_OBJECT_CREATED))));
            Connections connections = new Connections(List.of(new Connection(
                    "moto",
                    "s3",
                    "",
                    Map.of("endpoint", moto.endpoint().toString(), "path_style", "true", "region", "us-east-1"),
                    Map.of(),
                    Map.of())));

            try (ServiceUnderTest running = ServiceUnderTest.start(ServiceConfig.inProcess("events-s3")
                    .temporalTarget(RealTemporal.shared())
                    .searchAttributes(true)
                    .connections(connections)
                    .events(new EventSettings(
                            Optional.empty(), SqsSettings.of(List.of(queueUrl), Optional.of(moto.endpoint())), false))
                    .build())) {
                AsyncAgentServiceBlockingStub agent = running.agent();
                String key = "dt=2026-11-30/daily report.csv";
                ByteString meta = agent.createTask(
                                FlytekitSensorTasks.createRequest(FlytekitSensorTasks.Task.fileSensor(
                                                "s3-events-" + System.nanoTime(), "s3://landing/" + key)
                                        .withSensorConfig(Map.of("poke_interval", "1h", "connection", "moto"))))
                        .getResourceMeta();
                await().atMost(Duration.ofSeconds(30)).until(() -> "1".equals(pokes(get(agent, meta))));

                s3.putObject(request -> request.bucket("landing").key(key), RequestBody.fromString("x"));

                Resource done = await().atMost(Duration.ofSeconds(30))
                        .until(() -> get(agent, meta), r -> r.getPhase() != Phase.RUNNING);
                assertThat(done.getPhase()).isEqualTo(Phase.SUCCEEDED);
                assertThat(Structs.toMap(done.getCustomInfo()))
                        .containsEntry("wakes", "1")
                        .containsEntry("pokes", "2");
            }
        }
    }

    private static Object pokes(Resource resource) {
        return Structs.toMap(resource.getCustomInfo()).get("pokes");
    }

    private static Resource get(AsyncAgentServiceBlockingStub agent, ByteString meta) {
        return agent.getTask(GetTaskRequest.newBuilder()
                        .setTaskCategory(SENSOR)
                        .setResourceMeta(meta)
                        .build())
                .getResource();
    }
}
