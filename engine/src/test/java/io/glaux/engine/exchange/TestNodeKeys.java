package io.glaux.engine.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class TestNodeKeys
{
    @Test
    void aReplacementIsPresentedFromTheNextHandshakeOn(@TempDir Path dir)
    {
        Path caDir = dir.resolve("coordinator");
        TlsMaterial coordinator = TlsMaterial.loadOrCreate(caDir, "coordinator", List.of());
        String pin = TlsMaterial.caPin(coordinator.caCertificateValue());
        TlsMaterial first = TlsMaterial.join(dir.resolve("worker"), "worker-a", List.of(), pin,
                csr -> TlsMaterial.issueForRequest(caDir, "worker-a", List.of(), csr, Duration.ofMinutes(5)));
        TlsMaterial renewed = TlsMaterial.join(dir.resolve("worker"), "worker-a", List.of(), pin,
                csr -> TlsMaterial.issueForRequest(caDir, "worker-a", List.of(), csr, Duration.ofMinutes(5)));
        assertThat(Duration.between(first.certificate().getNotBefore().toInstant(), first.certificate().getNotAfter().toInstant()))
                .as("node.certificate-validity, after the hour the start is backdated for clock skew")
                .isEqualTo(Duration.ofMinutes(65));

        NodeKeys keys = NodeKeys.of(first);
        List<TlsMaterial> replaced = new ArrayList<>();
        keys.onReplace(replaced::add);
        String before = keys.chooseEngineServerAlias("EC", null, null);
        assertThat(keys.chooseEngineClientAlias(new String[] {"RSA", "EC"}, null, null)).isEqualTo(before);
        assertThat(keys.chooseEngineServerAlias("RSA", null, null)).isNull();
        assertThat(keys.getCertificateChain(before)[0]).isEqualTo(first.certificate());
        assertThat(keys.getCertificateChain(before)).hasSize(2);

        keys.replace(renewed);
        assertThat(replaced).containsExactly(renewed);
        assertThat(keys.material()).isSameAs(renewed);
        String after = keys.chooseServerAlias("EC_EC", null, null);
        assertThat(after).isNotEqualTo(before);
        assertThat(keys.getCertificateChain(after)[0]).isEqualTo(renewed.certificate());
        assertThat(keys.getPrivateKey(after)).isEqualTo(renewed.privateKeyValue());
        // a handshake that chose the old pair before the switch still gets both halves of it
        assertThat(keys.getCertificateChain(before)[0]).isEqualTo(first.certificate());
        assertThat(keys.getPrivateKey(before)).isEqualTo(first.privateKeyValue());
        assertThat(keys.getPrivateKey("worker-a#0")).isNull();

        // only the same node, under a CA it trusts (or one that trusts its CA: a CA rotation)
        TlsMaterial other = TlsMaterial.join(dir.resolve("other"), "worker-b", List.of(), pin,
                csr -> TlsMaterial.issueForRequest(caDir, "worker-b", List.of(), csr));
        assertThatThrownBy(() -> keys.replace(other)).isInstanceOf(GlauxException.class).hasMessageContaining("node worker-a's");
        TlsMaterial foreign = TlsMaterial.loadOrCreate(dir.resolve("foreign"), "worker-a", List.of());
        assertThatThrownBy(() -> keys.replace(foreign)).isInstanceOf(GlauxException.class).hasMessageContaining("under a CA it trusts");
        assertThat(keys.material()).isSameAs(renewed);
    }
}
