package dev.sensorengine.sensors.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.sensors.Connection;
import dev.sensorengine.sensors.Connections;
import dev.sensorengine.sensors.PokeRequest;
import dev.sensorengine.sensors.PokeResult;
import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.SensorEnvironment;
import dev.sensorengine.sensors.file.FileSensor;
import dev.sensorengine.sensors.file.ObjectStores;
import dev.sensorengine.sensors.http.HostResolver;
import dev.sensorengine.sensors.http.HttpCaller;
import dev.sensorengine.sensors.http.HttpClients;
import dev.sensorengine.sensors.http.HttpSensor;
import dev.sensorengine.testing.TestHttpServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What HttpSensor and FileSensor's http(s) paths may reach, against real servers on two loopback addresses
 * (127.0.0.1 and 127.0.0.2, the same port): refusals by default, admission by --allow-network, redirects,
 * names that resolve inward, and a DNS answer that changes between lookups.
 */
class NetworkAccessTest {

    private static final SensorEnvironment DEFAULTS = new SensorEnvironment(List.of());
    private static final SensorEnvironment FIRST_ONLY = environment("127.0.0.1/32");

    private TestHttpServer first;
    private TestHttpServer second;
    private final List<String> lookups = Collections.synchronizedList(new ArrayList<>());
    private final HttpClients clients = new HttpClients();

    @BeforeEach
    void start() throws Exception {
        first = new TestHttpServer();
        second = new TestHttpServer(InetAddress.getByName("127.0.0.2"), first.port());
        for (TestHttpServer server : List.of(first, second)) {
            server.status("/ok", 200, "served by " + server.host())
                    .route(
                            "/away",
                            exchange -> TestHttpServer.send(
                                    exchange, 302, "", Map.of("Location", "http://127.0.0.2:" + first.port() + "/ok")))
                    .route("/around", exchange -> TestHttpServer.send(exchange, 301, "", Map.of("Location", "/ok")))
                    .route("/loop", exchange -> TestHttpServer.send(exchange, 307, "", Map.of("Location", "/loop")));
        }
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        clients.close();
    }

    @Test
    void loopbackIsRefusedByDefaultWithoutAConnection() {
        HttpSensor sensor = sensor(HostResolver.SYSTEM);

        assertThatThrownBy(() -> poke(sensor, first.url("/ok"), DEFAULTS))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessage(first.url("/ok") + " resolves to 127.0.0.1, a loopback address; admit it with "
                        + "--allow-network 127.0.0.0/8");
        assertThat(first.seen()).isEmpty();
        assertThat(clients.connectionsOpened()).isZero();
    }

    @Test
    void loopbackIsAdmittedByItsBlockOrByOneAddress() throws Exception {
        HttpSensor sensor = sensor(HostResolver.SYSTEM);

        for (SensorEnvironment admitting : List.of(environment("127.0.0.0/8"), FIRST_ONLY)) {
            assertThat(poke(sensor, first.url("/ok"), admitting)).isInstanceOf(PokeResult.Ready.class);
        }
        assertThat(first.seen()).hasSize(2);
        assertThat(clients.connectionsOpened())
                .as("the counter sees real connections")
                .isPositive();
        // A block admits only itself: 127.0.0.2 stays refused.
        assertThatThrownBy(() -> poke(sensor, second.url("/ok"), FIRST_ONLY))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("resolves to 127.0.0.2");
    }

    @Test
    void redirectsAreFollowedAndEachTargetIsChecked() throws Exception {
        HttpSensor sensor = sensor(HostResolver.SYSTEM);

        assertThat(poke(sensor, first.url("/around"), FIRST_ONLY)).isInstanceOf(PokeResult.Ready.class);
        assertThatThrownBy(() -> poke(sensor, first.url("/away"), FIRST_ONLY))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessage(first.url("/away") + " redirects to " + second.url("/ok") + ", which resolves to "
                        + "127.0.0.2, a loopback address; admit it with --allow-network 127.0.0.0/8");
        assertThat(second.seen()).as("the refused target never hears from us").isEmpty();
        assertThatThrownBy(() -> poke(sensor, first.url("/loop"), FIRST_ONLY))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("still redirects after " + HttpCaller.MAX_REDIRECTS + " redirects");
        assertThat(first.seen().stream().filter(seen -> seen.path().equals("/loop")))
                .hasSize(HttpCaller.MAX_REDIRECTS + 1);
    }

    @Test
    void fileSensorRedirectsAreCheckedToo() throws Exception {
        FileSensor sensor = new FileSensor(new ObjectStores(
                () -> {
                    throw new AssertionError("no gs:// here");
                },
                this::record));

        assertThat(fileSensorPoke(sensor, first.url("/around"))).isInstanceOf(PokeResult.Ready.class);
        assertThatThrownBy(() -> fileSensorPoke(sensor, first.url("/away")))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessage(first.url("/away") + " redirects to " + second.url("/ok") + ", which resolves to "
                        + "127.0.0.2, a loopback address; admit it with --allow-network 127.0.0.0/8");
        assertThat(second.seen()).isEmpty();
        assertThatThrownBy(() -> sensor.poke(new PokeRequest(Map.of("path", first.url("/ok")), Map.of()), DEFAULTS))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("a loopback address");
    }

    @Test
    void aNameThatResolvesInwardIsRefused() {
        HttpSensor sensor = sensor(HostResolver.SYSTEM);
        String url = "http://localhost:" + first.port() + "/ok";

        assertThatThrownBy(() -> poke(sensor, url, DEFAULTS))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageMatching("\\Q" + url + " resolves to \\E(127\\.0\\.0\\.1|::1), a loopback address; admit it "
                        + "with --allow-network (127\\.0\\.0\\.0/8|::1/128)");
        assertThat(first.seen()).isEmpty();
    }

    @Test
    void everyAddressOfANameIsChecked() {
        HttpSensor sensor = sensor(answers(List.of(ip("203.0.113.7"), ip("10.1.2.3"))));

        assertThatThrownBy(() -> poke(sensor, "http://mixed.test/ok", DEFAULTS))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessage("http://mixed.test/ok resolves to 10.1.2.3, a private address; admit it with "
                        + "--allow-network 10.0.0.0/8");
        assertThat(clients.connectionsOpened()).isZero();
    }

    @Test
    void aNameIsResolvedOnceAndTheCheckedAddressIsTheOneReached() throws Exception {
        // A rebinding DNS server: the first answer passes the check, every later one points elsewhere.
        HttpSensor sensor = sensor(answers(List.of(ip("127.0.0.1")), List.of(ip("127.0.0.2"))));
        String url = "http://rebind.test:" + first.port() + "/ok";

        PokeResult result = poke(sensor, url, FIRST_ONLY);

        assertThat(result).isInstanceOf(PokeResult.Ready.class);
        assertThat(lookups).containsExactly("rebind.test");
        assertThat(first.seen())
                .singleElement()
                .satisfies(
                        seen -> assertThat(seen.headers().getFirst("Host")).isEqualTo("rebind.test:" + first.port()));
        assertThat(second.seen()).isEmpty();
        // The next poke resolves again, gets the other answer, and is refused before connecting.
        assertThatThrownBy(() -> poke(sensor, url, FIRST_ONLY))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining(url + " resolves to 127.0.0.2, a loopback address");
        assertThat(lookups).hasSize(2);
        assertThat(second.seen()).isEmpty();
    }

    @Test
    void theCloudMetadataAddressIsRefusedWithoutAConnectionAttempt() {
        HttpSensor sensor = sensor(this::record);

        assertThatThrownBy(() -> poke(sensor, "http://169.254.169.254/latest/meta-data/iam/", DEFAULTS))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessage("http://169.254.169.254/latest/meta-data/iam/ resolves to 169.254.169.254, the cloud "
                        + "metadata address; admit it with --allow-network 169.254.169.254/32");
        assertThat(lookups).containsExactly("169.254.169.254");
        assertThat(clients.connectionsOpened()).isZero();
    }

    @Test
    void targetsUnderAConnectionAreTheOperatorsChoiceAndNotChecked() throws Exception {
        Connections connections = new Connections(
                List.of(new Connection("internal", "http", first.url("/"), Map.of(), Map.of(), Map.of())));
        HttpSensor sensor = sensor(HostResolver.SYSTEM);

        PokeResult result = sensor.poke(
                new PokeRequest(Map.of("url", "ok"), Map.of("connection", "internal")),
                new SensorEnvironment(List.of(), connections));

        assertThat(result).isInstanceOf(PokeResult.Ready.class);
        assertThat(first.seen()).hasSize(1);
    }

    private HttpSensor sensor(HostResolver resolver) {
        return new HttpSensor(new HttpCaller(clients, resolver));
    }

    private static PokeResult poke(HttpSensor sensor, String url, SensorEnvironment environment) throws Exception {
        return sensor.poke(new PokeRequest(Map.of("url", url), new HashMap<>()), environment);
    }

    private static PokeResult fileSensorPoke(FileSensor sensor, String url) throws Exception {
        return sensor.poke(new PokeRequest(Map.of("path", url), Map.of()), FIRST_ONLY);
    }

    /** The system's answer, with the question recorded. */
    private List<InetAddress> record(String host) throws UnknownHostException {
        lookups.add(host);
        return HostResolver.SYSTEM.resolve(host);
    }

    /** A resolver that gives each answer in turn, the last one from then on, and records every question. */
    @SafeVarargs
    private HostResolver answers(List<InetAddress>... inTurn) {
        Iterator<List<InetAddress>> next = List.of(inTurn).iterator();
        List<List<InetAddress>> last = new ArrayList<>(List.of(inTurn[0]));
        return host -> {
            lookups.add(host);
            synchronized (last) {
                if (next.hasNext()) {
                    last.set(0, next.next());
                }
                return last.get(0);
            }
        };
    }

    private static SensorEnvironment environment(String... blocks) {
        return new SensorEnvironment(List.of(), Connections.none(), NetworkPolicy.allowing(List.of(blocks)));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
