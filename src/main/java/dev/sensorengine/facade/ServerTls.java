package dev.sensorengine.facade;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * TLS for the gRPC server ({@code --tls-cert}, {@code --tls-key}), mutual TLS when a client CA is given
 * ({@code --tls-client-ca}: clients without a certificate it signed are refused). The files are read again every
 * {@code reload}, so renewed certificates (cert-manager, a mounted secret) take effect without a restart.
 *
 * @param certificate PEM certificate chain
 * @param privateKey PEM PKCS#8 private key
 */
public record ServerTls(Path certificate, Path privateKey, Optional<Path> clientCa, Duration reload) {

    /** Something that reads the files again. */
    private interface Reload {
        void run() throws IOException, GeneralSecurityException;
    }

    /**
     * Runs {@code reload} whenever every one of {@code files} has changed since the last successful load (so a key
     * and its certificate are taken together); a failed read keeps the previous credentials and is tried again.
     */
    private Closeable follow(ScheduledExecutorService executor, List<Path> files, Reload reload) {
        long[] loaded = modified(files);
        var task = executor.scheduleWithFixedDelay(
                () -> {
                    long[] now = modified(files);
                    for (int i = 0; i < now.length; i++) {
                        if (now[i] == loaded[i]) {
                            return;
                        }
                    }
                    try {
                        reload.run();
                        System.arraycopy(now, 0, loaded, 0, now.length);
                        LoggerFactory.getLogger(ServerTls.class).info("reloaded TLS files {}", files);
                    } catch (IOException | GeneralSecurityException | RuntimeException e) {
                        LoggerFactory.getLogger(ServerTls.class)
                                .warn(
                                        "cannot reload TLS files {} ({}); keeping the previous ones",
                                        files,
                                        e.toString());
                    }
                },
                this.reload.toMillis(),
                this.reload.toMillis(),
                TimeUnit.MILLISECONDS);
        return () -> task.cancel(false);
    }

    private static long[] modified(List<Path> files) {
        return files.stream().mapToLong(file -> file.toFile().lastModified()).toArray();
    }

    /** Credentials that follow the files, and what stops the following. */
    record Loaded(ServerCredentials credentials, List<Closeable> reloaders) {}

    Loaded load(ScheduledExecutorService executor) throws IOException {
        List<Closeable> reloaders = new ArrayList<>();
        try {
            AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
            keys.updateIdentityCredentials(certificate.toFile(), privateKey.toFile());
            // gRPC's own file watching refreshes at most once a minute; this follows the files at our period.
            reloaders.add(follow(
                    executor,
                    List.of(certificate, privateKey),
                    () -> keys.updateIdentityCredentials(certificate.toFile(), privateKey.toFile())));
            TlsServerCredentials.Builder builder =
                    TlsServerCredentials.newBuilder().keyManager(keys);
            if (clientCa.isPresent()) {
                AdvancedTlsX509TrustManager trust = AdvancedTlsX509TrustManager.newBuilder()
                        .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                        .build();
                trust.updateTrustCredentials(clientCa.get().toFile());
                reloaders.add(follow(
                        executor,
                        List.of(clientCa.get()),
                        () -> trust.updateTrustCredentials(clientCa.get().toFile())));
                builder.trustManager(trust).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return new Loaded(builder.build(), reloaders);
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException(
                    "cannot load the gRPC TLS files (--tls-cert " + certificate + ", --tls-key " + privateKey
                            + clientCa.map(ca -> ", --tls-client-ca " + ca).orElse("") + "): " + e.getMessage()
                            + "; the key must be PEM PKCS#8 (BEGIN PRIVATE KEY)",
                    e);
        }
    }
}
