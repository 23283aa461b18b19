package dev.sensorengine.sensors.http;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.Sensor;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.SensorValues;
import dev.sensorengine.sensors.network.Locations;
import dev.sensorengine.sensors.network.NetworkPolicy;
import java.util.Optional;
import java.util.Set;

/**
 * Ready when input {@code url} answers as sensor_config asks ({@link ResponseCheck}): by default any 2xx; 404 is
 * "not yet"; 5xx, throttling, timeouts and connection errors are poke errors, retried with backoff; other 4xx fail
 * the sensor. Headers come only from the named connection ({@code connection}, type http), never from the task.
 * A task's URL, and every redirect it follows, must reach an address the service's {@link NetworkPolicy} allows.
 */
public final class HttpSensor implements Sensor {

    private final HttpCaller http;

    public HttpSensor() {
        this(new HttpCaller(new HttpClients()));
    }

    public HttpSensor(HttpCaller http) {
        this.http = http;
    }

    @Override
    public Set<String> names() {
        return Set.of("sensor_engine.sensors.HttpSensor", "HttpSensor");
    }

    @Override
    public String target(PokeRequest request) {
        return request.inputValues().string("url");
    }

    /** The host of an absolute URL; for a URL relative to a connection, the connection's name. */
    @Override
    public Optional<String> endpoint(PokeRequest request) {
        String url = request.inputValues().string("url");
        Optional<String> host = Locations.endpoint(url);
        return host.isPresent() ? host : request.configValues().optionalString("connection");
    }

    @Override
    public PokeResult poke(PokeRequest request, SensorEnvironment environment) throws Exception {
        SensorValues config = request.configValues();
        Optional<Connection> connection = config.optionalString("connection")
                .map(name -> environment.connections().get(name, "http"));
        HttpTarget target = HttpTarget.of(request.inputValues().string("url"), connection);
        ResponseCheck check = ResponseCheck.of(config, request.config());
        HttpAnswer answer = http.send(
                target,
                environment.network(),
                check.method(),
                RequestTimeout.of(request.config().get("request_timeout")),
                check.needsBody() ? ResponseCheck.BODY_LIMIT : 0);
        return check.judge(answer, target);
    }
}
