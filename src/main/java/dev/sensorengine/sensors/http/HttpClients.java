package dev.sensorengine.sensors.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of the HTTP sensors, made on first use and kept (it is thread-safe and pools connections), and
 * the timer that enforces each call's deadline. The client follows no redirects, retries nothing and never
 * resolves a name itself: every request carries the address {@link AddressGate} checked.
 */
public final class HttpClients implements AutoCloseable {

    /** How long opening a connection may take. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Requests are pinned to a checked address; a lookup here would be an unchecked one, so there is none. */
    private static final DnsResolver NO_LOOKUPS = new DnsResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            throw new UnknownHostException(host + " was not resolved and checked before connecting");
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            throw new UnknownHostException(host + " was not resolved and checked before connecting");
        }
    };

    private final AtomicLong connectionsOpened = new AtomicLong();
    private CloseableHttpClient client;
    private ScheduledExecutorService deadlines;

    synchronized CloseableHttpClient client() {
        if (client == null) {
            client = org.apache.hc.client5.http.impl.classic.HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            // Same trust as the JDK's clients: the default trust store and javax.net.ssl properties.
                            .setTlsSocketStrategy(DefaultClientTlsStrategy.createSystemDefault())
                            .setDefaultConnectionConfig(ConnectionConfig.custom()
                                    .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                                    .build())
                            .setDnsResolver(NO_LOOKUPS)
                            .setConnectionFactory(new Counted())
                            .setMaxConnTotal(200)
                            .setMaxConnPerRoute(50)
                            .build())
                    .disableRedirectHandling()
                    .disableAutomaticRetries()
                    .disableCookieManagement()
                    .disableAuthCaching()
                    .disableContentCompression()
                    .build();
        }
        return client;
    }

    /** How many connections this client has opened: a refused target must open none. */
    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    /** One daemon thread that cancels calls at their deadline. */
    synchronized ScheduledExecutorService deadlines() {
        if (deadlines == null) {
            deadlines = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "http-sensor-deadlines");
                thread.setDaemon(true);
                return thread;
            });
        }
        return deadlines;
    }

    /** The client's own connection factory, counting each connection as the pool opens it. */
    private final class Counted implements HttpConnectionFactory<ManagedHttpClientConnection> {
        @Override
        public ManagedHttpClientConnection createConnection(Socket socket) throws IOException {
            connectionsOpened.incrementAndGet();
            return ManagedHttpClientConnectionFactory.INSTANCE.createConnection(socket);
        }

        @Override
        public ManagedHttpClientConnection createConnection(SSLSocket sslSocket, Socket socket) throws IOException {
            connectionsOpened.incrementAndGet();
            return ManagedHttpClientConnectionFactory.INSTANCE.createConnection(sslSocket, socket);
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close(CloseMode.IMMEDIATE);
            client = null;
        }
        if (deadlines != null) {
            deadlines.shutdownNow();
            deadlines = null;
        }
    }
}
