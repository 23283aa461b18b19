package dev.sensorengine.runtime;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.ServiceStubsOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the service reaches Temporal: plaintext, TLS ({@code --temporal-tls-ca}), mutual TLS
 * ({@code --temporal-tls-cert}, {@code --temporal-tls-key}), and an API key for Temporal Cloud
 * ({@code --temporal-api-key}, which implies TLS).
 */
public record TemporalAccess(
        Optional<Path> certificate, Optional<Path> privateKey, Optional<Path> ca, Optional<String> apiKey) {

    public static final TemporalAccess PLAINTEXT =
            new TemporalAccess(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public TemporalAccess {
        if (certificate.isPresent() != privateKey.isPresent()) {
            throw new IllegalArgumentException("--temporal-tls-cert and --temporal-tls-key go together");
        }
    }

    boolean usesTls() {
        return certificate.isPresent() || ca.isPresent() || apiKey.isPresent();
    }

    /** Applies TLS and the API key to a connection's options. */
    <T extends ServiceStubsOptions.Builder<T>> T applyTo(T options) throws IOException {
        if (usesTls()) {
            options.setSslContext(sslContext());
        }
        apiKey.ifPresent(key -> options.addApiKey(() -> key));
        return options;
    }

    SslContext sslContext() throws IOException {
        try {
            SimpleSslContextBuilder builder;
            if (certificate.isPresent()) {
                // The builder reads its streams when it builds, so hand it the bytes.
                builder = SimpleSslContextBuilder.forPKCS8(
                        new ByteArrayInputStream(Files.readAllBytes(certificate.get())),
                        new ByteArrayInputStream(Files.readAllBytes(privateKey.get())));
            } else {
                builder = SimpleSslContextBuilder.noKeyOrCertChain();
            }
            if (ca.isPresent()) {
                builder.setTrustManager(trustManagers(ca.get()).getTrustManagers()[0]);
            }
            return builder.build();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IOException("cannot set up TLS to Temporal (" + describe() + "): " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustManagers(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int index = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new GeneralSecurityException("no certificate in " + caFile);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }

    private String describe() {
        return certificate
                        .map(c -> "--temporal-tls-cert " + c + " --temporal-tls-key " + privateKey.orElseThrow() + " ")
                        .orElse("")
                + ca.map(c -> "--temporal-tls-ca " + c).orElse("");
    }
}
