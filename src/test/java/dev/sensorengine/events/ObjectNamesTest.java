package dev.sensorengine.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Object names as sensors spell them, and the keys as S3 and MinIO encode them. */
class ObjectNamesTest {

    @Test
    void keysAreFormDecodedAsS3AndMinioEncodeThem() {
        assertThat(ObjectNames.formDecoded("red+flower.jpg")).isEqualTo("red flower.jpg");
        assertThat(ObjectNames.formDecoded("a%2Fb%2Fc.csv")).isEqualTo("a/b/c.csv");
        assertThat(ObjectNames.formDecoded("c%2B%2B+notes.txt")).isEqualTo("c++ notes.txt");
        assertThat(ObjectNames.formDecoded("dt%3D2026-11-30/_SUCCESS")).isEqualTo("dt=2026-11-30/_SUCCESS");
        assertThat(ObjectNames.formDecoded("caf%C3%A9.csv")).isEqualTo("café.csv");
        assertThatThrownBy(() -> ObjectNames.formDecoded("50%-off")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyNamesASensorCouldWaitForParse() {
        assertThat(ObjectNames.parse("s3://b/k")).contains("s3://b/k");
        assertThat(ObjectNames.parse("gs://b/dir/o")).contains("gs://b/dir/o");
        assertThat(ObjectNames.parse("https://example.com/ready")).contains("https://example.com/ready");
        assertThat(ObjectNames.parse("/data/_SUCCESS")).contains("/data/_SUCCESS");
        assertThat(ObjectNames.parse("file:///data/a%20b")).contains("/data/a b");
        assertThat(ObjectNames.parse("s3://b")).isEmpty();
        assertThat(ObjectNames.parse("s3:///k")).isEmpty();
        assertThat(ObjectNames.parse("https://")).isEmpty();
        assertThat(ObjectNames.parse("data/_SUCCESS")).isEmpty();
        assertThat(ObjectNames.parse("/x\u0000y")).isEmpty();
        assertThat(ObjectNames.parse("/" + "x".repeat(5000))).isEmpty();
    }
}
