package dev.sensorengine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedded Temporal server listens on loopback only. Proven without sending anything off loopback: its port is
 * still free on every other address of the host, which it would not be had the server bound them (or the wildcard).
 */
class InMemoryTemporalTest {

    @Test
    void itIsReachableOnLoopbackAndOnNoOtherInterface() throws Exception {
        List<InetAddress> others = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(this::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .toList();
        assumeTrue(!others.isEmpty(), "this host has no non-loopback address to try");
        InMemoryTemporal temporal = InMemoryTemporal.start(InetAddress.getLoopbackAddress(), 0);
        try {
            int port = Integer.parseInt(
                    temporal.target().substring(temporal.target().lastIndexOf(':') + 1));
            assertThat(connects(InetAddress.getLoopbackAddress(), port)).isTrue();
            for (InetAddress address : others) {
                try (ServerSocket free = new ServerSocket()) {
                    free.bind(new InetSocketAddress(address, port));
                    assertThat(free.isBound()).as(address.toString()).isTrue();
                }
            }
        } finally {
            temporal.close();
        }
    }

    private boolean up(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    private static boolean connects(InetAddress loopback, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loopback, port), 2000);
            return socket.isConnected();
        }
    }
}
