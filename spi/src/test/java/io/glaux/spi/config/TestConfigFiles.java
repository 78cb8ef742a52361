package io.glaux.spi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

class TestConfigFiles
{
    @TempDir
    Path dir;

    @Test
    void replacesEnvironmentReferences()
            throws Exception
    {
        Path file = Files.writeString(dir.resolve("config.properties"), """
                s3.endpoint=http://${ENV:S3_HOST}:${ENV:S3_PORT}/
                s3.secret-key = ${ENV:SECRET}\s
                plain=value ${ENV} $ {ENV:X}
                with-default=${ENV:UNSET:-8080}/${ENV:S3_PORT:-1}/${ENV:UNSET:-}
                """);
        Map<String, String> environment = Map.of("S3_HOST", "objectstore", "S3_PORT", "9878", "SECRET", "a$b\\c");
        Properties properties = ConfigFiles.load(file, environment::get);
        assertThat(properties.getProperty("s3.endpoint")).isEqualTo("http://objectstore:9878/");
        assertThat(properties.getProperty("s3.secret-key")).isEqualTo("a$b\\c");
        assertThat(properties.getProperty("plain")).isEqualTo("value ${ENV} $ {ENV:X}");
        assertThat(properties.getProperty("with-default")).isEqualTo("8080/9878/");
    }

    @Test
    void missingVariableNamesKeyAndVariable()
            throws Exception
    {
        Path file = Files.writeString(dir.resolve("worker.properties"), "s3.access-key=${ENV:GLAUX_TEST_UNSET_VARIABLE}\n");
        assertThatThrownBy(() -> ConfigFiles.load(file, _ -> null))
                .isInstanceOf(GlauxException.class)
                .hasMessageContaining("'s3.access-key'")
                .hasMessageContaining("GLAUX_TEST_UNSET_VARIABLE");
    }

    @Test
    void missingFileIsUserError()
    {
        assertThatThrownBy(() -> ConfigFiles.load(dir.resolve("absent.properties")))
                .isInstanceOf(GlauxException.class)
                .hasMessageContaining("absent.properties");
    }
}
