package dev.sensorengine.sensors.file;

import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.Sensor;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.network.Locations;
import java.util.Optional;
import java.util.Set;

/**
 * flytekit's {@code flytekit.sensor.file_sensor.FileSensor}: ready when something exists at input {@code path}, a
 * local path (under a {@code --file-root}), {@code s3://}, {@code gs://} or {@code http(s)://}. sensor_config
 * {@code match} is {@code exact} (default), {@code prefix} or {@code glob}; {@code connection} names an s3 (or
 * http) connection. The stores and their clients live in {@link ObjectStores}.
 */
public final class FileSensor implements Sensor {

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
