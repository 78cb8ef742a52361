package io.glaux.engine.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

class TestNodeIdentityTrustManager
{
    @Test
    void trustsOnlyCaSignedCertificatesThatNameTheNode(@TempDir Path dir)
            throws Exception
    {
        TlsMaterial workerA = TlsMaterial.loadOrCreate(dir.resolve("tls"), "worker-a", List.of("10.0.0.7", "node-a.example"));
        TlsMaterial workerB = TlsMaterial.loadOrCreate(dir.resolve("tls"), "worker-b", List.of());
        TlsMaterial foreign = TlsMaterial.loadOrCreate(dir.resolve("other"), "worker-a", List.of());
        X509Certificate[] chainA = {workerA.certificate(), workerA.caCertificateValue()};
        X509Certificate[] chainB = {workerB.certificate(), workerB.caCertificateValue()};

        NodeIdentityTrustManager forA = NodeIdentityTrustManager.forNode(workerA.trustStore(), "worker-a");
        forA.checkServerTrusted(chainA, "ECDHE_ECDSA");
        assertThatThrownBy(() -> forA.checkServerTrusted(chainB, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class)
                .hasMessage("The certificate of the worker announced as worker-a names another node (CN=worker-b,O=Glaux): it is not that node");
        // the right name from another CA is still refused
        assertThatThrownBy(() -> forA.checkServerTrusted(new X509Certificate[] {foreign.certificate(), foreign.caCertificateValue()}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class)
                .hasMessageNotContaining("names another node");

        // the CN only: a DNS subject alternative name is a host name the worker asked for, not an identity
        assertThat(NodeIdentityTrustManager.namesNode(workerA.certificate(), "worker-a")).isTrue();
        assertThat(NodeIdentityTrustManager.namesNode(workerA.certificate(), "node-a.example")).isFalse();
        assertThat(NodeIdentityTrustManager.namesNode(workerA.certificate(), "NODE-A.example")).isFalse();
        assertThat(NodeIdentityTrustManager.namesNode(workerA.certificate(), "worker-b")).isFalse();
        assertThat(NodeIdentityTrustManager.namesNode(workerA.certificate(), "worker")).isFalse();
        // an IP address in the SAN is a host, not a node id
        assertThat(NodeIdentityTrustManager.namesNode(workerA.certificate(), "10.0.0.7")).isFalse();
    }
}
