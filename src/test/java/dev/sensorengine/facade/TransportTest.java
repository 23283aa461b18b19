package dev.sensorengine.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Each call costs fewer system calls and copies on the native epoll transport than on NIO, which is the fallback. */
class TransportTest {

    @Test
    void onLinuxGrpcServesAndCallsOverNativeEpoll() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("aarch64")), "epoll is Linux's");

        assertThat(FacadeServer.transport()).isEqualTo("native epoll");
    }
}
