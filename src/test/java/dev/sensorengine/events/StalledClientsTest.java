package dev.sensorengine.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send half a request and stall do not stop the push endpoint: with the JDK's request-time bound that
 * {@code serve} sets ({@code sun.net.httpserver.maxReqTime}, 1 s here instead of 30 s), they are cut, and a real push
 * behind 80 of them is answered. In a JVM of its own, since the JDK reads the bound once per JVM.
 */
class StalledClientsTest {

    @TempDir
    Path dir;

    @Test
    void stalledClientsAreCutAndARealPushIsStillAnswered() throws Exception {
        Path output = dir.resolve("probe.out");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process probe = new ProcessBuilder(
                        java,
                        "-Dsun.net.httpserver.maxReqTime=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        StalledClientsProbe.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();

        boolean ended = probe.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            probe.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);

        assertThat(ended).as(printed).isTrue();
        assertThat(probe.exitValue()).as(printed).isZero();
        assertThat(printed).contains("answered after stalled clients");
    }
}
