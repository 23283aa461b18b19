package dev.sensorengine.sensors.file;

import dev.sensorengine.sensors.SensorConfigurationException;
import java.io.IOException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://bucket/key} through the AWS SDK: HeadObject for exact, ListObjectsV2 for prefix and glob (listing
 * from the glob's literal prefix, at most {@value #GLOB_PAGES} pages of 1,000 keys per poke).
 */
public final class S3ObjectStore implements ObjectStore {

    static final int GLOB_PAGES = 10;

    private final S3Client client;
    private final String source;

    /** @param source how the client was configured, for messages: "the SDK's default chain", "connection 'lake'" */
    public S3ObjectStore(S3Client client, String source) {
        this.client = client;
        this.source = source;
    }

    @Override
    public Lookup find(String location, Match match) throws IOException {
        BucketPath path = BucketPath.parse("s3", location);
        try {
            return switch (match) {
                case EXACT -> exact(path);
                case PREFIX -> first(path, path.key(), null, match.nothingAt(location));
                case GLOB -> {
                    Glob glob = Glob.compile(path.key());
                    yield first(path, glob.literalPrefix(), glob, match.nothingAt(location));
                }
            };
        } catch (NoSuchBucketException e) {
            return Lookup.missing(match.nothingAt(location) + " (no bucket " + path.bucket() + ")");
        } catch (NoSuchKeyException e) {
            return Lookup.missing(match.nothingAt(location));
        } catch (S3Exception e) {
            throw translate(e, path);
        }
    }

    private Lookup exact(BucketPath path) {
        if (path.key().isEmpty()) {
            throw new SensorConfigurationException("path '" + path + "' names a bucket but no key; add the key, or "
                    + "set sensor_config match: prefix to wait for anything in the bucket");
        }
        // HEAD answers 404 both for a missing key and a missing bucket; the SDK maps both to NoSuchKeyException.
        HeadObjectResponse head =
                client.headObject(request -> request.bucket(path.bucket()).key(path.key()));
        return Lookup.found(
                StoredObject.inBucket("s3", path.bucket(), path.key(), head.contentLength(), head.lastModified()));
    }

    /** The first key after {@code prefix} that {@code glob} accepts (every key, without a glob). */
    private Lookup first(BucketPath path, String prefix, Glob glob, String nothing) {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
                .bucket(path.bucket())
                .prefix(prefix)
                .maxKeys(glob == null ? 1 : 1000);
        for (int page = 0; page < (glob == null ? 1 : GLOB_PAGES); page++) {
            ListObjectsV2Response response = client.listObjectsV2(request.build());
            for (S3Object object : response.contents()) {
                if (glob == null || glob.matches(object.key())) {
                    return Lookup.found(StoredObject.inBucket(
                            "s3", path.bucket(), object.key(), object.size(), object.lastModified()));
                }
            }
            if (!Boolean.TRUE.equals(response.isTruncated())) {
                return Lookup.missing(nothing);
            }
            request.continuationToken(response.nextContinuationToken());
        }
        return Lookup.missing(
                nothing + " among the first " + GLOB_PAGES * 1000 + " keys under s3://" + path.bucket() + "/" + prefix);
    }

    /** Access problems are the task's or the operator's to fix; server trouble and throttling are retried. */
    private RuntimeException translate(S3Exception e, BucketPath path) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String what = "S3 answered " + e.statusCode() + (code == null ? "" : " " + code) + " for " + path;
        if (e.statusCode() == 401 || e.statusCode() == 403) {
            return new SensorConfigurationException(what + ": access denied with the credentials of " + source
                    + "; grant s3:GetObject and s3:ListBucket on the bucket, or name another connection");
        }
        if (e.statusCode() == 301 || e.statusCode() == 400 && "AuthorizationHeaderMalformed".equals(code)) {
            return new SensorConfigurationException(what + ": the bucket is in another region than " + source
                    + " is set up for; set the connection's region");
        }
        if (e.statusCode() >= 400 && e.statusCode() < 500 && e.statusCode() != 408 && e.statusCode() != 429) {
            return new SensorConfigurationException(what);
        }
        return new S3PokeException(what, e);
    }

    /** A transient S3 error (5xx, throttling); the poke is retried. */
    static final class S3PokeException extends RuntimeException {
        S3PokeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
