package dev.sensorengine.sensors.file;

import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.http.HttpAnswer;
import dev.sensorengine.sensors.http.HttpCaller;
import dev.sensorengine.sensors.http.HttpStatuses;
import dev.sensorengine.sensors.http.HttpTarget;
import dev.sensorengine.sensors.network.NetworkPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code http://} and {@code https://} paths: the file exists when HEAD answers 2xx; a server that does not allow
 * HEAD (405, 501) is asked with GET, of which only the headers are read. 404 and 410 mean "not yet".
 */
public final class HttpObjectStore implements ObjectStore {

    private final HttpCaller http;
    private final HttpTarget target;
    private final NetworkPolicy network;
    private final Duration timeout;

    /** @param network the addresses a task's URL may reach (redirects included) */
    public HttpObjectStore(HttpCaller http, HttpTarget target, NetworkPolicy network, Duration timeout) {
        this.http = http;
        this.target = target;
        this.network = network;
        this.timeout = timeout;
    }

    @Override
    public Lookup find(String location, Match match) throws Exception {
        if (match != Match.EXACT) {
            throw new SensorConfigurationException(
                    "http(s) paths cannot be listed, so match must be exact, not " + match);
        }
        HttpAnswer answer = http.send(target, network, "HEAD", timeout, 0);
        if (answer.status() == 405 || answer.status() == 501) {
            answer = http.send(target, network, "GET", timeout, 0);
        }
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return Lookup.found(new StoredObject(
                    target.display(), Optional.empty(), Optional.empty(), size(answer), lastModified(answer)));
        }
        if (status == 404 || status == 410) {
            return Lookup.missing(target.display() + " does not exist (HTTP " + status + ")");
        }
        throw HttpStatuses.unexpected(answer, target);
    }

    private static long size(HttpAnswer answer) {
        try {
            return answer.headers().firstValueAsLong("Content-Length").orElse(-1);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Optional<Instant> lastModified(HttpAnswer answer) {
        try {
            return answer.headers()
                    .firstValue("Last-Modified")
                    .map(text -> ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
