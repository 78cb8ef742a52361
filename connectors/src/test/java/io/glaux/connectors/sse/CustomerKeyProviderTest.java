package io.glaux.connectors.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.s3.ObjectStoreConfig;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.spec.SecretKeySpec;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;

/** Where SSE-C keys come from, which object gets which, and that no key is ever shown. */
class CustomerKeyProviderTest
{
    private static final byte[] KEY_A = bytes(1);
    private static final byte[] KEY_B = bytes(2);
    private static final byte[] KEY_C = bytes(3);

    @Test
    void keysFromFileKeystoreAndEnvironmentChosenByLongestLocation(@TempDir Path directory)
            throws Exception
    {
        Path keyFile = directory.resolve("sse-keys.properties");
        Files.writeString(keyFile, "# SSE-C keys\nlogs-2026=" + b64(KEY_A) + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Path keystore = directory.resolve("sse-keys.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setEntry("audit", new KeyStore.SecretKeyEntry(new SecretKeySpec(KEY_B, "AES")), new KeyStore.PasswordProtection("changeit".toCharArray()));
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, "changeit".toCharArray());
        }
        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-------"));

        CustomerKeyProvider provider = CustomerKeyProvider.fromConfig(Map.of(
                        CustomerKeyProvider.KEY_FILE, keyFile.toString(),
                        CustomerKeyProvider.KEYSTORE, keystore.toString(),
                        CustomerKeyProvider.LOCATIONS, "s3://logs/=logs-2026, s3://logs/audit/=audit,s3://other/x=env_key"),
                Map.of(CustomerKeyProvider.KEYSTORE_PASSWORD_ENV, "changeit", "GLAUX_SSE_C_KEY_ENV_KEY", b64(KEY_C), "PATH", "/bin"));

        assertThat(provider.keyIds()).containsExactly("audit", "env_key", "logs-2026");
        assertThat(provider.forObject("logs", "web/a.gz")).map(CustomerKey::id).contains("logs-2026");
        assertThat(provider.forObject("logs", "audit/a.gz")).map(CustomerKey::id).contains("audit");
        assertThat(provider.forObject("other", "x/1")).map(CustomerKey::id).contains("env_key");
        assertThat(provider.forObject("other", "y/1")).isEmpty();
        assertThat(provider.forObject("logs2", "web/a.gz")).isEmpty();
        assertThat(provider.byId("audit", "test").identity()).startsWith("audit#").isNotEqualTo(provider.byId("logs-2026", "test").identity());

        String shown = provider + " " + provider.byId("audit", "test") + " "
                + ObjectStoreConfig.of(URI.create("https://s3.example.com"), "access", "secret-value").withCustomerKeys(provider);
        for (byte[] key : new byte[][] {KEY_A, KEY_B, KEY_C}) {
            assertThat(shown).doesNotContain(b64(key));
        }
        assertThat(shown).doesNotContain("secret-value").contains("logs-2026");
    }

    @Test
    void refusesReadableKeyFilesBadKeysUnknownIdsAndPlainHttp(@TempDir Path directory)
            throws Exception
    {
        Path keyFile = directory.resolve("keys.properties");
        Files.writeString(keyFile, "k=" + b64(KEY_A) + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> CustomerKeyProvider.fromConfig(Map.of(CustomerKeyProvider.KEY_FILE, keyFile.toString()), Map.of()))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.getMessage()).contains("chmod 600"));

        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(keyFile, "short=" + b64(new byte[16]) + "\n");
        assertThatThrownBy(() -> CustomerKeyProvider.fromConfig(Map.of(CustomerKeyProvider.KEY_FILE, keyFile.toString()), Map.of()))
                .hasMessageContaining("must be 32 bytes");

        assertThatThrownBy(() -> CustomerKeyProvider.fromConfig(Map.of(CustomerKeyProvider.LOCATIONS, "s3://b/=nope"), Map.of()))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.ENCRYPTION_KEY_ERROR);
                    assertThat(e.getMessage()).contains("'nope'");
                });
        assertThatThrownBy(() -> CustomerKeyProvider.fromConfig(Map.of(), Map.of("GLAUX_SSE_C_KEY_X", "not base64!")))
                .hasMessageContaining("not valid base64").hasMessageNotContaining("not base64!");

        CustomerKeyProvider provider = CustomerKeyProvider.of(Map.of("k", KEY_A), Map.of("s3://b/", "k"));
        assertThatThrownBy(() -> ObjectStoreConfig.of(URI.create("http://127.0.0.1:9000"), "a", "s").withCustomerKeys(provider))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not https");
        assertThatThrownBy(() -> provider.byId("other", "Table web.logs"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.getMessage()).startsWith("Table web.logs needs the SSE-C key with id 'other'"));
    }

    private static byte[] bytes(int seed)
    {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 37 + i * 11);
        }
        return key;
    }

    private static String b64(byte[] key)
    {
        return Base64.getEncoder().encodeToString(key);
    }
}
