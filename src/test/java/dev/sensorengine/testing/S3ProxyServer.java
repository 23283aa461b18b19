package dev.sensorengine.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3proxy (an S3-compatible server from Maven Central, with jclouds' in-memory "transient" store) in its own
 * process on 127.0.0.1, checking AWS signatures against one identity. The build copies its jar to
 * {@code target/test-servers}.
 */
public final class S3ProxyServer implements AutoCloseable {

    /** The identity s3proxy accepts; the build gives the same to the SDK's default chain (system properties). */
    public static final String ACCESS_KEY = "sensor-test-access-key";

    public static final String SECRET_KEY = "sensor-test-secret-key";

    private final Process process;
    private final int port;
    private final String accessKey;
    private final S3Client admin;

    private S3ProxyServer(Process process, int port, String accessKey, String secretKey) {
        this.process = process;
        this.port = port;
        this.accessKey = accessKey;
        this.admin = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                // s3proxy predates the SDK's default upload checksums (aws-chunked with trailers): send them only
                // where S3 requires them, as for other S3-compatible stores.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    public static S3ProxyServer start(Path workDir) throws IOException {
        return start(workDir, ACCESS_KEY, SECRET_KEY);
    }

    /** An s3proxy that accepts this identity alone, e.g. marker strings that a test then looks for everywhere. */
    public static S3ProxyServer start(Path workDir, String accessKey, String secretKey) throws IOException {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/test-servers/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; 'mvn test' copies it there (process-test-resources)");
        }
        int port = freePort();
        Path properties = Files.writeString(
                workDir.resolve("s3proxy.properties"),
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + accessKey,
                        "s3proxy.credential=" + secretKey,
                        "jclouds.provider=transient",
                        "jclouds.identity=unused",
                        "jclouds.credential=unused",
                        ""));
        Path log = workDir.resolve("s3proxy.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(
                        java, "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalServers.awaitListening("s3proxy", process, port, log);
        return new S3ProxyServer(process, port, accessKey, secretKey);
    }

    /** The access key id this server accepts. */
    public String accessKey() {
        return accessKey;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public void createBucket(String bucket) {
        admin.createBucket(request -> request.bucket(bucket));
    }

    public void put(String bucket, String key, String content) {
        admin.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    public void delete(String bucket, String key) {
        admin.deleteObject(request -> request.bucket(bucket).key(key));
    }

    @Override
    public void close() throws InterruptedException {
        admin.close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
