/**
 * Event sources: where the word that an object now exists comes from. An HTTP endpoint that stores push to (S3 and
 * MinIO notifications, EventBridge, GCS through Pub/Sub push, CloudEvents), SQS queues it long-polls, and a watch on
 * the local file roots. Each turns what it receives into {@link dev.sensorengine.engine.ObjectEvent}s, hands them to
 * an {@link dev.sensorengine.engine.EventWaker}, and acknowledges the sender only once the waker has returned, so
 * that a sender retries what was not taken.
 *
 * <p>May import: the engine's event contract alone ({@code ObjectEvent}, {@code EventWaker}, {@code WakeReport} and
 * the two exceptions a waker throws), the JDK's HTTP server and {@code WatchService}, the AWS SDK's SQS client, the
 * CloudEvents SDK, Jackson and Micrometer. Must not import: Temporal, gRPC, or any other package of this project;
 * only {@code runtime} imports this one, to start it.
 */
package dev.sensorengine.events;
