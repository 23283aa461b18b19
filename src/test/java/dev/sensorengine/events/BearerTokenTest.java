package dev.sensorengine.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push token: read from its file, offered in the header or the query. */
class BearerTokenTest {

    @TempDir
    Path dir;

    @Test
    void theFilesTokenWithoutItsNewlineIsAdmittedFromTheHeaderOrTheQuery() throws Exception {
        BearerToken token = BearerToken.load(Files.writeString(dir.resolve("t"), "  a+b/c=  \n"));

        assertThat(token.admits(Map.of("Authorization", List.of("Bearer a+b/c=")), null))
                .isTrue();
        assertThat(token.admits(Map.of("authorization", List.of("bearer a+b/c=")), null))
                .isTrue();
        assertThat(token.admits(Map.of(), "x=1&token=a%2Bb%2Fc%3D")).isTrue();
        assertThat(token.admits(Map.of("Authorization", List.of("Bearer google-oidc")), "token=a%2Bb%2Fc%3D"))
                .isTrue();
        assertThat(token.admits(Map.of(), null)).isFalse();
        assertThat(token.admits(Map.of(), "token=")).isFalse();
        assertThat(token.admits(Map.of(), "token=a+b/c="))
                .as("'+' in a query is a space")
                .isFalse();
        assertThat(token.admits(Map.of("Authorization", List.of("a+b/c=")), null))
                .isFalse();
        assertThat(token.admits(Map.of(), "token=%zz")).isFalse();
    }

    @Test
    void anEmptyOrMissingFileIsRefusedNamingTheOption() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() -> BearerToken.load(empty))
                .hasMessageContaining("--events-token-file")
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> BearerToken.load(dir.resolve("missing")))
                .hasMessageContaining("cannot read --events-token-file");
    }
}
