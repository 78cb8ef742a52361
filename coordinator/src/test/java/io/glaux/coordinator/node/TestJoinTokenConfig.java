package io.glaux.coordinator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;

class TestJoinTokenConfig
{
    @Test
    void absentOrBlankFileMeansNoPreProvisionedToken()
    {
        assertThat(JoinTokenConfig.fromProperties(Map.of())).isEmpty();
        // the image's config.properties: ${ENV:GLAUX_JOIN_TOKEN_FILE:-} when the variable is not set
        assertThat(JoinTokenConfig.fromProperties(Map.of(JoinTokenConfig.FILE, "", JoinTokenConfig.EXPIRES, ""))).isEmpty();
    }

    @Test
    void readsTheTokenAndItsExpiry(@TempDir Path dir)
            throws Exception
    {
        Path file = dir.resolve("join-token");
        Files.writeString(file, "# made by glaux tls\n\n  glaux-join.0123abcd." + "a".repeat(32) + "." + "x".repeat(43) + "  \n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        JoinTokenConfig config = JoinTokenConfig.fromProperties(Map.of(JoinTokenConfig.FILE, file.toString(),
                JoinTokenConfig.EXPIRES, " 2027-01-31T00:00:00Z\n", JoinTokenConfig.USES, "25")).orElseThrow();
        assertThat(config.expires()).isEqualTo(Instant.parse("2027-01-31T00:00:00Z"));
        assertThat(config.uses()).isEqualTo(25);
        assertThat(config.readToken()).isEqualTo("glaux-join.0123abcd." + "a".repeat(32) + "." + "x".repeat(43));
        assertThat(config.toString()).doesNotContain("a".repeat(32));
        assertThat(JoinTokenConfig.fromProperties(Map.of(JoinTokenConfig.FILE, file.toString(), JoinTokenConfig.EXPIRES, "2027-01-31T00:00:00Z"))
                .orElseThrow().uses()).isEqualTo(JoinTokenConfig.DEFAULT_USES);

        // readable by others: refused, naming the file and not its content
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(config::readToken).isInstanceOfSatisfying(GlauxException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.GENERIC_USER_ERROR);
            assertThat(e.getMessage()).contains("readable by its owner only", file.toString()).doesNotContain("a".repeat(32));
        });
        Files.delete(file);
        assertThatThrownBy(config::readToken).hasMessageContaining("does not exist");
    }

    @Test
    void theExpiryIsRequiredAndSettingsAreChecked()
    {
        assertThatThrownBy(() -> JoinTokenConfig.fromProperties(Map.of(JoinTokenConfig.FILE, "/etc/glaux/join-token")))
                .hasMessageContaining("'node.join-token-expires' is required with node.join-token-file");
        assertThatThrownBy(() -> JoinTokenConfig.fromProperties(Map.of(JoinTokenConfig.FILE, "/t", JoinTokenConfig.EXPIRES, "tomorrow")))
                .hasMessageContaining("Invalid value 'tomorrow' for node.join-token-expires");
        assertThatThrownBy(() -> JoinTokenConfig.fromProperties(Map.of(JoinTokenConfig.FILE, "/t", JoinTokenConfig.EXPIRES, "2027-01-31T00:00:00Z",
                JoinTokenConfig.USES, "0")))
                .hasMessageContaining("Invalid value 0 for node.join-token-uses");
    }
}
