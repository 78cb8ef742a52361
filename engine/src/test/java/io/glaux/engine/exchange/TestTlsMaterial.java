package io.glaux.engine.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class TestTlsMaterial
{
    @TempDir
    Path dir;

    @Test
    void createsCaAndNodeCertificate()
            throws Exception
    {
        TlsMaterial tls = TlsMaterial.loadOrCreate(dir.resolve("tls"), "worker-1", List.of("node1.example.com", "10.1.2.3"));

        assertThat(tls.caCertificate()).isEqualTo(dir.resolve("tls/ca.pem"));
        assertThat(tls.certificateChain()).isEqualTo(dir.resolve("tls/worker-1.pem"));
        assertThat(tls.privateKey()).isEqualTo(dir.resolve("tls/worker-1-key.pem"));
        assertThat(Files.readString(tls.caCertificate())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(tls.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(tls.certificateChain()).split("BEGIN CERTIFICATE", -1)).hasSize(3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.privateKey()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls/ca-key.pem")))).isEqualTo("rw-------");

        X509Certificate ca = tls.caCertificateValue();
        X509Certificate cert = tls.certificate();
        cert.verify(ca.getPublicKey());
        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(ca.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3640)));
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=worker-1");
        assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(subjectAltNames(cert)).contains("localhost", "127.0.0.1", "node1.example.com", "10.1.2.3");
    }

    @Test
    void reusesExistingMaterial()
            throws Exception
    {
        TlsMaterial first = TlsMaterial.loadOrCreate(dir, "coordinator", List.of());
        String caPem = Files.readString(first.caCertificate());
        String certPem = Files.readString(first.certificateChain());
        String keyPem = Files.readString(first.privateKey());

        TlsMaterial again = TlsMaterial.loadOrCreate(dir, "coordinator", List.of());
        assertThat(Files.readString(again.caCertificate())).isEqualTo(caPem);
        assertThat(Files.readString(again.certificateChain())).isEqualTo(certPem);
        assertThat(Files.readString(again.privateKey())).isEqualTo(keyPem);
        assertThat(again.certificate()).isEqualTo(first.certificate());

        // a second node shares the CA and gets its own certificate
        TlsMaterial worker = TlsMaterial.loadOrCreate(dir, "worker-2", List.of());
        assertThat(Files.readString(worker.caCertificate())).isEqualTo(caPem);
        assertThat(worker.certificate()).isNotEqualTo(first.certificate());
        worker.certificate().verify(first.caCertificateValue().getPublicKey());

        // asking for a new host name re-issues the node certificate, same CA
        TlsMaterial renamed = TlsMaterial.loadOrCreate(dir, "coordinator", List.of("coordinator.internal"));
        assertThat(renamed.certificate()).isNotEqualTo(first.certificate());
        assertThat(subjectAltNames(renamed.certificate())).contains("coordinator.internal", "localhost");
        assertThat(Files.readString(renamed.caCertificate())).isEqualTo(caPem);
    }

    @Test
    void reissuesANodeCertificateThatDoesNotMatchItsKey()
            throws Exception
    {
        TlsMaterial first = TlsMaterial.loadOrCreate(dir, "w1", List.of());
        TlsMaterial second = TlsMaterial.loadOrCreate(dir, "w2", List.of());
        // corrupt w1: pair its certificate with w2's key
        Files.copy(second.privateKey(), first.privateKey(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        TlsMaterial repaired = TlsMaterial.loadOrCreate(dir, "w1", List.of());
        assertThat(repaired.certificate()).isNotEqualTo(first.certificate());
        assertThat(repaired.certificate().getPublicKey()).isNotEqualTo(second.certificate().getPublicKey());
    }

    @Test
    void rejectsBadNodeNames()
    {
        assertThatThrownBy(() -> TlsMaterial.loadOrCreate(dir, "../evil", List.of()))
                .isInstanceOf(GlauxException.class)
                .hasMessageContaining("Invalid node name");
    }

    @Test
    void concurrentFirstStartsShareOneCa()
            throws Exception
    {
        int nodes = 8;
        CyclicBarrier barrier = new CyclicBarrier(nodes);
        ExecutorService executor = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<TlsMaterial>> futures = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                String node = "node-" + (i % 4); // two threads per node name
                Callable<TlsMaterial> create = () -> {
                    barrier.await();
                    return TlsMaterial.loadOrCreate(dir.resolve("shared"), node, List.of());
                };
                futures.add(executor.submit(create));
            }
            Set<X509Certificate> cas = new HashSet<>();
            for (Future<TlsMaterial> future : futures) {
                TlsMaterial tls = future.get();
                cas.add(tls.caCertificateValue());
                tls.certificate().verify(tls.caCertificateValue().getPublicKey());
            }
            assertThat(cas).hasSize(1);
            X509Certificate ca = cas.iterator().next();
            for (int i = 0; i < 4; i++) {
                TlsMaterial reloaded = TlsMaterial.loadOrCreate(dir.resolve("shared"), "node-" + i, List.of());
                assertThat(reloaded.caCertificateValue()).isEqualTo(ca);
                reloaded.certificate().verify(ca.getPublicKey());
            }
            try (var files = Files.list(dir.resolve("shared"))) {
                assertThat(files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".tmp")).toList()).isEmpty();
            }
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void concurrentProcessesShareOneCa()
            throws Exception
    {
        String javaCommand = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path shared = dir.resolve("shared-by-processes");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            processes.add(new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"), TlsMaterialProcess.class.getName(), shared.toString(), "node-" + i)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start());
        }
        Set<String> fingerprints = new HashSet<>();
        for (Process process : processes) {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor()).isZero();
            fingerprints.add(output);
        }
        assertThat(fingerprints).hasSize(1);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(TlsMaterial.loadOrCreate(shared, "node-0", List.of()).caCertificateValue().getEncoded());
        assertThat(fingerprints).containsExactly(HexFormat.of().formatHex(digest));
    }

    @Test
    void keyStoreHoldsKeyAndChain()
            throws Exception
    {
        TlsMaterial tls = TlsMaterial.loadOrCreate(dir, "coordinator", List.of());
        KeyStore store = tls.keyStore("secret".toCharArray());
        assertThat(store.isKeyEntry("coordinator")).isTrue();
        assertThat(store.getCertificateChain("coordinator")).hasSize(2);
        assertThat(store.getKey("coordinator", "secret".toCharArray())).isNotNull();
        assertThat(tls.trustStore().getCertificate("glaux-ca")).isEqualTo(tls.caCertificateValue());
    }

    @Test
    void sslContextsPerformMutualTls()
            throws Exception
    {
        TlsMaterial server = TlsMaterial.loadOrCreate(dir, "coordinator", List.of());
        TlsMaterial client = TlsMaterial.loadOrCreate(dir, "worker-1", List.of());
        TlsMaterial stranger = TlsMaterial.loadOrCreate(dir.resolve("other-cluster"), "worker-1", List.of());

        assertThat(handshake(server.serverSslContext(), client.clientSslContext())).isEqualTo("CN=worker-1,O=Glaux");
        // a client from another cluster (other CA) is refused
        assertThatThrownBy(() -> handshake(server.serverSslContext(), stranger.clientSslContext()))
                .isInstanceOf(Exception.class);
    }

    /** One mutual-TLS exchange on loopback; returns the client subject the server saw. */
    private static String handshake(SSLContext serverContext, SSLContext clientContext)
            throws Exception
    {
        try (SSLServerSocket serverSocket = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serverSocket.setNeedClientAuth(true);
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                Future<String> accepted = executor.submit(() -> {
                    try (SSLSocket socket = (SSLSocket) serverSocket.accept()) {
                        socket.setSoTimeout(5000);
                        InputStream in = socket.getInputStream();
                        int b = in.read();
                        socket.getOutputStream().write(b);
                        socket.getOutputStream().flush();
                        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                    }
                });
                try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket("127.0.0.1", serverSocket.getLocalPort())) {
                    socket.setSoTimeout(5000);
                    var parameters = socket.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(parameters);
                    OutputStream out = socket.getOutputStream();
                    out.write(42);
                    out.flush();
                    assertThat(socket.getInputStream().read()).isEqualTo(42);
                }
                return accepted.get();
            }
            finally {
                executor.shutdownNow();
            }
        }
    }

    private static List<String> subjectAltNames(X509Certificate certificate)
            throws Exception
    {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
        for (List<?> san : sans) {
            names.add(String.valueOf(san.get(1)));
        }
        return names;
    }
}
