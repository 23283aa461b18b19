package dev.sensorengine.sensors.file;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorValues;
import dev.sensorengine.sensors.http.HostResolver;
import dev.sensorengine.sensors.http.HttpCaller;
import dev.sensorengine.sensors.http.HttpClients;
import dev.sensorengine.sensors.http.HttpTarget;
import dev.sensorengine.sensors.http.RequestTimeout;
import dev.sensorengine.sensors.network.Locations;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Picks the store for a FileSensor path by its scheme and holds the clients, each made on first use and shared
 * by every poke after it (an S3 client per {@link S3Settings}, one GCS client, one HTTP client).
 */
public final class ObjectStores implements AutoCloseable {

    private final S3Clients s3 = new S3Clients();
    private final Supplier<Storage> gcsFactory;
    private final Map<String, Storage> gcs = new ConcurrentHashMap<>();
    private final HttpClients httpClients;
    private final HttpCaller http;

    /** GCS with the service's application default credentials, over the client's HTTP (JSON API) transport. */
    public ObjectStores() {
        this(() -> StorageOptions.http().build().getService());
    }

    /** @param gcs makes the GCS client when a gs:// path is first poked (tests pass the client's local fake) */
    public ObjectStores(Supplier<Storage> gcs) {
        this(gcs, HostResolver.SYSTEM);
    }

    /** @param resolver looks up the hosts of http(s):// paths (tests answer as a rebinding DNS server would) */
    public ObjectStores(Supplier<Storage> gcs, HostResolver resolver) {
        this.gcsFactory = gcs;
        this.httpClients = new HttpClients();
        this.http = new HttpCaller(httpClients, resolver);
    }

    /**
     * The store for {@code location}, configured from sensor_config (its {@code connection}) and the service.
     *
     * @throws SensorConfigurationException for a scheme no store serves or a connection that does not fit
     */
    public ObjectStore storeFor(
            String location, SensorValues config, Map<String, Object> rawConfig, SensorEnvironment environment) {
        String scheme = Locations.scheme(location);
        Optional<String> connectionName = config.optionalString("connection");
        switch (scheme) {
            case "s3" -> {
                Optional<Connection> connection =
                        connectionName.map(name -> environment.connections().get(name, "s3"));
                S3Settings settings = connection.map(S3Settings::of).orElse(S3Settings.defaults());
                return new S3ObjectStore(
                        s3.client(settings),
                        connection.map(c -> "connection '" + c.name() + "'").orElse("the service's default AWS chain"));
            }
            case "gs" -> {
                if (connectionName.isPresent()) {
                    throw new SensorConfigurationException("gs:// paths use the service's application default "
                            + "credentials; drop sensor_config 'connection'");
                }
                return new GcsObjectStore(gcs.computeIfAbsent("application-default", key -> gcsFactory.get()));
            }
            case "http", "https" -> {
                Optional<Connection> connection =
                        connectionName.map(name -> environment.connections().get(name, "http"));
                return new HttpObjectStore(
                        http,
                        HttpTarget.of(location, connection),
                        environment.network(),
                        RequestTimeout.of(rawConfig.get("request_timeout")));
            }
            case "", "file" -> {
                if (connectionName.isPresent()) {
                    throw new SensorConfigurationException(
                            "local paths take no connection; drop sensor_config " + "'connection'");
                }
                return new LocalObjectStore(environment.fileRoots());
            }
            default ->
                throw new SensorConfigurationException("FileSensor watches local paths, s3://, gs://, http:// "
                        + "and https://; '" + scheme + "://' paths are not supported");
        }
    }

    @Override
    public void close() {
        s3.close();
        httpClients.close();
        gcs.values().forEach(storage -> {
            try {
                storage.close();
            } catch (Exception e) {
                // Closing is best effort; nothing waits on it.
            }
        });
        gcs.clear();
    }
}
