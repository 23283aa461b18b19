package dev.sensorengine.sensors.file;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.sensorengine.sensors.SensorConfigurationException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * {@code gs://bucket/key} through the Google Cloud Storage client: a metadata get for exact, a listing for prefix
 * and glob (from the glob's literal prefix, at most {@value #GLOB_PAGES} pages of 1,000 objects per poke).
 */
public final class GcsObjectStore implements ObjectStore {

    static final int GLOB_PAGES = 10;

    private final Storage storage;

    public GcsObjectStore(Storage storage) {
        this.storage = storage;
    }

    @Override
    public Lookup find(String location, Match match) {
        BucketPath path = BucketPath.parse("gs", location);
        try {
            return switch (match) {
                case EXACT -> exact(path, match.nothingAt(location));
                case PREFIX -> first(path, path.key(), null, match.nothingAt(location));
                case GLOB -> {
                    Glob glob = Glob.compile(path.key());
                    yield first(path, glob.literalPrefix(), glob, match.nothingAt(location));
                }
            };
        } catch (StorageException e) {
            if (e.getCode() == 404) {
                return Lookup.missing(match.nothingAt(location) + " (no bucket " + path.bucket() + ")");
            }
            throw translate(e, path);
        }
    }

    private Lookup exact(BucketPath path, String nothing) {
        if (path.key().isEmpty()) {
            throw new SensorConfigurationException("path '" + path + "' names a bucket but no object; add the object "
                    + "name, or set sensor_config match: prefix to wait for anything in the bucket");
        }
        Blob blob = storage.get(BlobId.of(path.bucket(), path.key()));
        return blob == null ? Lookup.missing(nothing) : Lookup.found(object(path, blob));
    }

    private Lookup first(BucketPath path, String prefix, Glob glob, String nothing) {
        Page<Blob> page = storage.list(
                path.bucket(),
                Storage.BlobListOption.prefix(prefix),
                Storage.BlobListOption.pageSize(glob == null ? 1 : 1000));
        for (int pages = 0; page != null && pages < (glob == null ? 1 : GLOB_PAGES); pages++) {
            for (Blob blob : page.getValues()) {
                if (glob == null || glob.matches(blob.getName())) {
                    return Lookup.found(object(path, blob));
                }
            }
            if (!page.hasNextPage()) {
                return Lookup.missing(nothing);
            }
            page = page.getNextPage();
        }
        return Lookup.missing(nothing + " among the first " + GLOB_PAGES * 1000 + " objects under gs://" + path.bucket()
                + "/" + prefix);
    }

    private static StoredObject object(BucketPath path, Blob blob) {
        Instant updated = Optional.ofNullable(blob.getUpdateTimeOffsetDateTime())
                .map(OffsetDateTime::toInstant)
                .orElse(null);
        return StoredObject.inBucket(
                "gs", path.bucket(), blob.getName(), blob.getSize() == null ? -1 : blob.getSize(), updated);
    }

    /** Access problems fail the sensor; server trouble, throttling and network errors are retried. */
    private static RuntimeException translate(StorageException e, BucketPath path) {
        String what =
                "GCS answered " + e.getCode() + (e.getReason() == null ? "" : " " + e.getReason()) + " for " + path;
        if (e.getCode() == 401 || e.getCode() == 403) {
            return new SensorConfigurationException(what + ": access denied to the service's application default "
                    + "credentials; grant storage.objects.get and storage.objects.list on the bucket");
        }
        if (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 408 && e.getCode() != 429) {
            return new SensorConfigurationException(what);
        }
        return e;
    }
}
