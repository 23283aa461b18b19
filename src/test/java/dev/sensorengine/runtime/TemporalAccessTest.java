package dev.sensorengine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS settings of the connection to Temporal: they build, and a bad file names its flag. */
class TemporalAccessTest {

    @TempDir
    static Path dir;

    private static TestCertificates.Issued authority;
    private static TestCertificates.Issued client;

    @BeforeAll
    static void certificates() throws Exception {
        authority = TestCertificates.authority(dir, "ca");
        client = TestCertificates.leaf(dir, "client", authority);
    }

    @Test
    void temporalTlsSettingsBuildAndBadFilesSayWhichFlag() throws Exception {
        TemporalAccess access = new TemporalAccess(
                Optional.of(client.certificateFile()),
                Optional.of(client.keyFile()),
                Optional.of(authority.certificateFile()),
                Optional.empty());
        assertThat(access.sslContext().isClient()).isTrue();

        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertThatThrownBy(() -> new TemporalAccess(
                                Optional.empty(), Optional.empty(), Optional.of(garbage), Optional.empty())
                        .sslContext())
                .hasMessageContaining("--temporal-tls-ca");
        assertThatThrownBy(() -> new TemporalAccess(
                        Optional.of(client.certificateFile()), Optional.empty(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("go together");
    }
}
