package dev.sensorengine.events;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * The SQS client of one queue. Credentials come from the SDK's default chain; the region from its default chain
 * too, else from the queue's URL ({@code https://sqs.<region>.amazonaws.com/...}), so that a queue URL is all an
 * operator on AWS has to give.
 */
final class SqsClients {

    private static final Pattern AWS_QUEUE_HOST = Pattern.compile("^sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?$");

    private SqsClients() {}

    static SqsClient forQueue(String queueUrl, Optional<URI> endpoint) {
        SqsClientBuilder builder = SqsClient.builder()
                // The JDK's HTTP client, as the S3 client of FileSensor uses: no Netty or Apache client needed.
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(region(queueUrl));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    static Region region(String queueUrl) {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            return fromUrl(queueUrl)
                    .orElseThrow(() -> new IllegalArgumentException("no AWS region for the SQS queue " + queueUrl
                            + ": set AWS_REGION (or a profile's region), or give the queue's https://sqs.<region>"
                            + ".amazonaws.com/... URL"));
        }
    }

    static Optional<Region> fromUrl(String queueUrl) {
        try {
            String host = URI.create(queueUrl).getHost();
            Matcher matcher = AWS_QUEUE_HOST.matcher(host == null ? "" : host);
            return matcher.matches() ? Optional.of(Region.of(matcher.group(1))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
