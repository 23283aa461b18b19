package dev.sensorengine.sensors.file;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Secret;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * S3 clients, made on first use and kept, one per {@link S3Settings}: an S3 client is thread-safe and holds a
 * connection pool, so pokes share it rather than paying for a new one each time.
 */
public final class S3Clients implements AutoCloseable {

    /** Where a bucket's region is unknown, the SDK finds it (cross-region access) starting from here. */
    private static final Region FALLBACK_REGION = Region.US_EAST_1;

    private final Map<S3Settings, S3Client> clients = new ConcurrentHashMap<>();

    public S3Client client(S3Settings settings) {
        return clients.computeIfAbsent(settings, S3Clients::build);
    }

    private static S3Client build(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials(settings));
        settings.endpoint().ifPresent(builder::endpointOverride);
        Optional<Region> region = settings.region().map(Region::of);
        if (region.isPresent()) {
            builder.region(region.get());
        } else {
            builder.region(defaultRegion());
            // A bucket elsewhere is found through its redirect; S3-compatible stores have no such regions.
            builder.crossRegionAccessEnabled(settings.endpoint().isEmpty());
        }
        return builder.build();
    }

    private static Region defaultRegion() {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            return FALLBACK_REGION;
        }
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (!settings.hasStaticCredentials()) {
            return DefaultCredentialsProvider.builder().build();
        }
        Connection connection = settings.connection().orElseThrow();
        Secret id = connection.secret("access_key_id").orElseThrow();
        Secret key = connection.secret("secret_access_key").orElseThrow();
        Optional<Secret> token = connection.secret("session_token");
        // Read at every signing, so a rotated secret file is picked up without a restart.
        return () -> token.<AwsCredentials>map(t -> AwsSessionCredentials.create(id.reveal(), key.reveal(), t.reveal()))
                .orElseGet(() -> AwsBasicCredentials.create(id.reveal(), key.reveal()));
    }

    @Override
    public void close() {
        clients.values().forEach(S3Client::close);
        clients.clear();
    }
}
