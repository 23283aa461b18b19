package dev.sensorengine.sensors.file;

import dev.sensorengine.sensors.EventTarget;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.Sensor;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.network.Locations;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * flytekit's {@code flytekit.sensor.file_sensor.FileSensor}: ready when something exists at input {@code path}, a
 * local path (under a {@code --file-root}), {@code s3://}, {@code gs://} or {@code http(s)://}. sensor_config
 * {@code match} is {@code exact} (default), {@code prefix} or {@code glob}; {@code connection} names an s3 (or
 * http) connection. The stores and their clients live in {@link ObjectStores}.
 */
public final class FileSensor implements Sensor {

    /** Characters that make a glob more than a literal: a bucket or first directory with one cannot be looked up. */
    private static final Pattern WILDCARD = Pattern.compile("[*?\\[{\\\\]");

    private final ObjectStores stores;

    public FileSensor() {
        this(new ObjectStores());
    }

    public FileSensor(ObjectStores stores) {
        this.stores = stores;
    }

    @Override
    public Set<String> names() {
        return Set.of("flytekit.sensor.file_sensor.FileSensor", "FileSensor");
    }

    @Override
    public String target(PokeRequest request) {
        return request.inputValues().string("path");
    }

    @Override
    public Optional<String> endpoint(PokeRequest request) {
        return Locations.endpoint(request.inputValues().string("path"));
    }

    /**
     * Any path that names its bucket (or, for a local path, its first directory) without a wildcard; http(s) paths only
     * with {@code match: exact}, the only match they take. A path that cannot be parsed gets none: its poke fails.
     */
    @Override
    public Optional<EventTarget> eventTarget(PokeRequest request) {
        try {
            String path = request.inputValues().string("path");
            Match match = Match.parse(request.configValues().string("match", "exact"));
            if (match != Match.EXACT && path.startsWith("http")) {
                return Optional.empty();
            }
            return EventTarget.bucketOf(path)
                    .filter(bucket -> !WILDCARD.matcher(bucket).find())
                    .map(bucket -> new EventTarget(bucket, path, match.toString()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * As the stores compare: exact is the same spelling; prefix and glob compare an object's key within the same
     * bucket (S3, GCS) or the whole path (local files), the glob with {@link Glob}.
     */
    @Override
    public boolean wokenBy(EventTarget target, String object) {
        Match match;
        try {
            match = Match.parse(target.match());
        } catch (RuntimeException e) {
            return false;
        }
        String path = target.target();
        if (match == Match.EXACT) {
            return path.equals(object);
        }
        if (!EventTarget.bucketOf(object).equals(Optional.of(target.bucket()))) {
            return false;
        }
        if (match == Match.PREFIX) {
            return object.startsWith(path);
        }
        try {
            if (path.startsWith("/")) {
                return Glob.compile(path).matches(object);
            }
            String scheme = path.substring(0, path.indexOf("://"));
            return Glob.compile(BucketPath.parse(scheme, path).key())
                    .matches(BucketPath.parse(scheme, object).key());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public PokeResult poke(PokeRequest request, SensorEnvironment environment) throws Exception {
        String path = request.inputValues().string("path");
        Match match = Match.parse(request.configValues().string("match", "exact"));
        Lookup lookup = stores.storeFor(path, request.configValues(), request.config(), environment)
                .find(path, match);
        if (lookup instanceof Lookup.Found found) {
            return PokeResult.ready(found.object().describe(), found.object().details());
        }
        return PokeResult.notReady(((Lookup.Missing) lookup).reason());
    }
}
