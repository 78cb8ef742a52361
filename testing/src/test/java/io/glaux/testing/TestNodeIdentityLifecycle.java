package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.glaux.cli.NodeCommand;
import io.glaux.coordinator.CoordinatorConfig;
import io.glaux.coordinator.security.AuthenticationConfig;
import io.glaux.engine.exchange.RevocationList;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.engine.exchange.WorkerClient;
import io.glaux.worker.WorkerMain;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A worker's certificate over its life on a real cluster: renewed while the worker runs (short
 * certificates, {@code node.certificate-validity=12s}) without interrupting queries, and revoked with
 * {@code glaux node revoke}, which cuts off the connections the node had open before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestNodeIdentityLifecycle
{
    private static final int ROWS = 3 * 20_000;

    private Path directory;
    private TestCluster cluster;

    @BeforeAll
    void start()
            throws Exception
    {
        directory = Files.createTempDirectory("glaux-node-identity-test");
        Path passwords = directory.resolve("password.db");
        Files.writeString(passwords, "admin:" + BCrypt.withDefaults().hashToString(10, "admin-secret".toCharArray()) + "\n"
                + "alice:" + BCrypt.withDefaults().hashToString(10, "alice-secret".toCharArray()) + "\n");
        cluster = TestCluster.withCoordinatorProperties(directory.resolve("cluster"), 2, ROWS / 3, 4, Map.of(
                CoordinatorConfig.NODE_CERTIFICATE_VALIDITY, "12s",
                AuthenticationConfig.TYPE, "PASSWORD",
                AuthenticationConfig.PASSWORD_FILE, passwords.toString(),
                AuthenticationConfig.ADMIN_USERS, "admin"));
    }

    @AfterAll
    void stop()
    {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void workersRenewTheirCertificatesWhileServingQueries()
            throws Exception
    {
        List<WorkerMain.Handle> workers = List.of(cluster.workers().get(0), cluster.workers().get(1));
        // the workers have renewed since the cluster started; from now on each renews twice more
        Map<String, BigInteger> firstSerials = new HashMap<>();
        Map<String, Long> renewalsBefore = new HashMap<>();
        Instant firstExpiry = Instant.MAX;
        for (WorkerMain.Handle worker : workers) {
            renewalsBefore.put(worker.nodeId(), worker.certificateRenewals());
            firstSerials.put(worker.nodeId(), worker.tls().certificate().getSerialNumber());
            Instant notAfter = worker.tls().certificate().getNotAfter().toInstant();
            firstExpiry = notAfter.isBefore(firstExpiry) ? notAfter : firstExpiry;
            assertThat(Duration.between(Instant.now(), notAfter)).as("a short certificate").isLessThan(Duration.ofSeconds(13));
        }
        // queries keep running while every worker renews twice, past the expiry of the certificate it had
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int queries = 0;
        while (workers.stream().anyMatch(worker -> worker.certificateRenewals() < renewalsBefore.get(worker.nodeId()) + 2) || Instant.now().isBefore(firstExpiry)) {
            assertThat(System.nanoTime()).as("two renewals of every worker").isLessThan(deadline);
            assertThat(count()).isEqualTo(ROWS);
            queries++;
        }
        assertThat(queries).isPositive();
        try (BufferAllocator allocator = new RootAllocator()) {
            for (WorkerMain.Handle worker : workers) {
                BigInteger now = worker.tls().certificate().getSerialNumber();
                assertThat(now).isNotEqualTo(firstSerials.get(worker.nodeId()));
                assertThat(worker.tls().certificate().getNotAfter().toInstant()).isAfter(Instant.now());
                // a new connection sees the renewed certificate, from the same running server
                try (WorkerClient client = new WorkerClient(worker.flightUri(), cluster.coordinator().tls(), allocator, worker.nodeId())) {
                    assertThat(client.ping(Duration.ofSeconds(10))).isTrue();
                    assertThat(client.peerCertificate().orElseThrow().getSerialNumber()).isEqualTo(worker.tls().certificate().getSerialNumber());
                }
            }
            // and a worker presents its renewed certificate to its peers (the first one has expired)
            WorkerMain.Handle first = workers.get(0);
            try (WorkerClient peer = new WorkerClient(first.flightUri(), workers.get(1).keys(), allocator, first.nodeId(), new RevocationList())) {
                assertThat(peer.ping(Duration.ofSeconds(10))).isTrue();
            }
        }
        assertThat(count()).isEqualTo(ROWS);
    }

    @Test
    @Order(2)
    void theCoordinatorRenewsItsOwnCertificateWhileServing()
            throws Exception
    {
        // the coordinator holds the CA key: its own certificate is as short as the workers'
        X509Certificate first = cluster.coordinator().tls().certificate();
        Instant firstExpiry = first.getNotAfter().toInstant();
        assertThat(Duration.between(Instant.now(), firstExpiry)).as("a short certificate").isLessThan(Duration.ofSeconds(13));
        assertThat(servedCertificate().getSerialNumber()).isEqualTo(cluster.coordinator().tls().certificate().getSerialNumber());
        long renewalsBefore = cluster.coordinator().certificates().renewals();

        // queries (HTTPS to the coordinator, Flight from it to the workers, announcements) keep working
        // while it renews twice, past the expiry of the certificate it had
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (cluster.coordinator().certificates().renewals() < renewalsBefore + 2 || Instant.now().isBefore(firstExpiry)) {
            assertThat(System.nanoTime()).as("two renewals of the coordinator's certificate").isLessThan(deadline);
            assertThat(count()).isEqualTo(ROWS);
        }
        X509Certificate now = cluster.coordinator().tls().certificate();
        assertThat(now.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(now.getNotAfter().toInstant()).isAfter(Instant.now());
        // a new connection gets the renewed certificate from the same running server
        await("the HTTPS server serves the renewed certificate",
                () -> servedCertificate().getSerialNumber().equals(cluster.coordinator().tls().certificate().getSerialNumber()));
        // and a worker accepts the coordinator's renewed client certificate on a new Flight connection
        try (BufferAllocator allocator = new RootAllocator()) {
            for (WorkerMain.Handle worker : cluster.workers()) {
                try (WorkerClient client = new WorkerClient(worker.flightUri(), cluster.coordinator().keys(), allocator, worker.nodeId(), new RevocationList())) {
                    assertThat(client.ping(Duration.ofSeconds(10))).as("the coordinator's renewed client certificate at " + worker.nodeId()).isTrue();
                }
            }
        }
        assertThat(cluster.coordinator().nodeManager().activeWorkers()).hasSize(cluster.workers().size());
    }

    @Test
    @Order(3)
    void theCoordinatorTakesUpCertificateFilesReplacedOnDisk()
            throws Exception
    {
        Path tls = cluster.coordinator().tls().directory();
        long reloadsBefore = cluster.coordinator().certificates().reloads();
        // what an operator does: new PEM files for the coordinator, written next to the CA (here issued by
        // it, valid for ten minutes so that they are told apart from the coordinator's own 12 s renewals)
        TlsMaterial replaced = TlsMaterial.renewOwn(tls, "coordinator", List.of(), Duration.ofMinutes(10));
        await("the coordinator takes up the replaced files", () -> cluster.coordinator().certificates().reloads() > reloadsBefore);
        assertThat(cluster.coordinator().tls().certificate()).isEqualTo(replaced.certificate());
        await("the HTTPS server serves the replaced certificate", () -> servedCertificate().equals(replaced.certificate()));
        assertThat(count()).isEqualTo(ROWS);

        // files that do not fit (a key of another certificate) are not taken up: the coordinator keeps serving
        Path key = tls.resolve("coordinator-key.pem");
        String goodKey = Files.readString(key);
        TlsMaterial other = TlsMaterial.loadOrCreate(directory.resolve("other-tls"), "coordinator", List.of());
        TlsMaterial.writeFile(key, Files.readString(other.privateKey()), true);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(cluster.coordinator().tls().certificate()).isEqualTo(replaced.certificate());
                assertThat(count()).isEqualTo(ROWS);
            }
        }
        finally {
            TlsMaterial.writeFile(key, goodKey, true);
        }
    }

    @Test
    @Order(4)
    void theClusterCaIsRotatedWhileServing()
            throws Exception
    {
        Path tls = cluster.coordinator().tls().directory();
        X509Certificate oldCa = cluster.coordinator().tls().caCertificateValue();
        List<WorkerMain.Handle> workers = List.copyOf(cluster.workers());

        // 1. stage: every node comes to trust both CAs (the workers with their next renewal); the old one still signs
        X509Certificate newCa = TlsMaterial.stageNextCa(tls);
        await("the coordinator trusts both CAs", () -> cluster.coordinator().tls().caCertificates().containsAll(List.of(oldCa, newCa)));
        awaitWithQueries("every worker trusts both CAs", () -> workers.stream().allMatch(worker -> worker.tls().caCertificates().containsAll(List.of(oldCa, newCa))));
        assertThat(cluster.coordinator().tls().caCertificateValue()).isEqualTo(oldCa);

        // 2. promote: the new CA signs; the coordinator re-issues its own certificate at once, the workers at their next renewal
        assertThat(TlsMaterial.promoteNextCa(tls)).isEqualTo(newCa);
        await("the coordinator's certificate comes from the new CA", () -> cluster.coordinator().tls().caCertificateValue().equals(newCa));
        await("the HTTPS server serves it", () -> servedCertificate().getIssuerX500Principal().equals(newCa.getSubjectX500Principal()));
        awaitWithQueries("every worker's certificate comes from the new CA", () -> workers.stream().allMatch(worker -> worker.tls().caCertificateValue().equals(newCa)));

        // 3. retire: only the new CA is trusted, by every node
        assertThat(TlsMaterial.retireOldCas(tls)).containsExactly(oldCa);
        await("the coordinator trusts only the new CA", () -> cluster.coordinator().tls().caCertificates().equals(List.of(newCa)));
        awaitWithQueries("every worker trusts only the new CA", () -> workers.stream().allMatch(worker -> worker.tls().caCertificates().equals(List.of(newCa))));
        assertThat(count()).isEqualTo(ROWS);
        // a client trusting only the new CA (ca.pem now holds only it) connects; new join tokens name the new CA
        assertThat(Files.readString(cluster.caCertificate())).isEqualTo(Files.readString(tls.resolve("ca.pem")));
        assertThat(cluster.coordinator().joinTokens().caPin()).isEqualTo(TlsMaterial.caPin(newCa));
        // (it stays in the cluster: the coordinator would schedule a stopped worker until it is found failed)
        WorkerMain.Handle joined = cluster.addWorker("rotated-1");
        await("a worker joins under the new CA", () -> cluster.coordinator().nodeManager().activeWorkers().stream().anyMatch(node -> node.nodeId().equals("rotated-1")));
        assertThat(joined.tls().caCertificateValue()).isEqualTo(newCa);
        assertThat(count()).isEqualTo(ROWS);
    }

    @Test
    @Order(5)
    void aRevokedWorkerIsCutOffAtOnceAndTheNextQueryRunsOnTheRest()
            throws Exception
    {
        WorkerMain.Handle victim = cluster.addWorker("victim-1");
        WorkerMain.Handle worker = cluster.workers().getFirst();
        await("victim-1 is scheduled", () -> cluster.coordinator().nodeManager().activeWorkers().stream().anyMatch(node -> node.nodeId().equals("victim-1")));
        try (BufferAllocator allocator = new RootAllocator();
                // a connection the victim opens to another worker before its revocation
                WorkerClient fromVictim = new WorkerClient(worker.flightUri(), victim.keys(), allocator, worker.nodeId(), new RevocationList())) {
            assertThat(fromVictim.ping(Duration.ofSeconds(10))).isTrue();

            // a query that runs on the victim too leaves the coordinator's connection to it open
            assertThat(count()).isEqualTo(ROWS);
            await("the coordinator's connection to victim-1", () -> victim.server().openConnections() > 0);

            // only admins revoke
            assertThat(node(Map.of("GLAUX_PASSWORD", "alice-secret"), "revoke", "victim-1", "--user", "alice").exitCode()).isEqualTo(1);
            CliRun revoked = node(Map.of("GLAUX_PASSWORD", "admin-secret"), "revoke", "victim-1", "--user", "admin");
            assertThat(revoked.exitCode()).as(revoked.err()).isZero();
            assertThat(revoked.out()).contains("revoked node victim-1");

            // the other workers learn the revocation and close the connection the victim opened before it
            await("worker-1 learns the revocation", () -> worker.server().revocations().snapshot().nodes().containsKey("victim-1"));
            assertThat(fromVictim.ping(Duration.ofSeconds(10))).as("the victim's old connection to worker-1").isFalse();
            // the coordinator, and every worker, closed its connections to the victim
            await("no connection to victim-1", () -> victim.server().openConnections() == 0);
        }
        finally {
            victim.close();
        }
        // the next query runs on the rest
        assertThat(count()).isEqualTo(ROWS);
        assertThat(cluster.coordinator().nodeManager().activeWorkers()).noneMatch(node -> node.nodeId().equals("victim-1"));

        CliRun list = node(Map.of("GLAUX_PASSWORD", "admin-secret"), "list", "--user", "admin");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("victim-1\\s+revoked").containsPattern("worker-1\\s+active");
        CliRun denied = node(Map.of("GLAUX_PASSWORD", "alice-secret"), "list", "--user", "alice");
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(denied.err()).contains("ACCESS_DENIED");
    }

    @Test
    @Order(6)
    @org.junit.jupiter.api.Disabled("Finds a gap of issue 8: this broadcast join keeps running for over 100 s after victim-2 is "
            + "revoked while its tasks run (the coordinator cuts its channel to victim-2, yet the query neither fails nor ends); "
            + "enable once a revocation fails the queries with tasks on the node")
    void aQueryRunningOnARevokedWorkerFailsAtOnceNamingItAndTheNextRunsOnTheRest()
            throws Exception
    {
        WorkerMain.Handle victim = cluster.addWorker("victim-2");
        await("victim-2 is scheduled", () -> cluster.coordinator().nodeManager().activeWorkers().stream().anyMatch(node -> node.nodeId().equals("victim-2")));
        // a long query: a broadcast join whose probe tasks on every worker pair each log line with every
        // other of its status
        String sql = "SELECT count(*) FROM access_logs a JOIN access_logs b ON a.status = b.status WHERE a.url <> b.url -- revoked while running";
        java.util.concurrent.CompletableFuture<Long> running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (Connection connection = cluster.jdbc();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(sql)) {
                assertThat(rows.next()).isTrue();
                return rows.getLong(1);
            }
            catch (SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        long revokedAt;
        try {
            await("the query runs on victim-2", () -> {
                if (running.isDone()) {
                    throw new AssertionError("the query ended before victim-2 was revoked: " + running.handle((value, failure) -> failure == null ? "count " + value : failure.toString()).join());
                }
                return victim.server().runningTasks() > 0;
            });
            revokedAt = System.nanoTime();
            CliRun revoked = node(Map.of("GLAUX_PASSWORD", "admin-secret"), "revoke", "victim-2", "--user", "admin");
            assertThat(revoked.exitCode()).as(revoked.err()).isZero();

            // the query fails at once, with the coded error naming the worker and its revocation
            assertThat(running).failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(SQLException.class)
                    .withMessageContaining("Worker victim-2")
                    .withMessageContaining("revoked");
            assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).as("how fast the query failed").isLessThan(Duration.ofSeconds(10));
            io.glaux.coordinator.query.Query query = cluster.coordinator().queryManager().all().stream()
                    .filter(candidate -> candidate.sql().equals(sql)).findFirst().orElseThrow();
            assertThat(query.error().orElseThrow().errorCode()).isEqualTo(io.glaux.spi.error.ErrorCode.WORKER_FAILED);
        }
        finally {
            victim.close();
            cluster.workers().remove(victim);
        }
        // the next query runs on the remaining workers
        assertThat(count()).isEqualTo(ROWS);
        assertThat(cluster.coordinator().nodeManager().activeWorkers()).noneMatch(node -> node.nodeId().equals("victim-2"));
        await("no task left on the workers", () -> cluster.workers().stream().allMatch(worker -> worker.server().runningTasks() == 0));
    }

    /** The certificate the coordinator's HTTPS server presents to a new connection (no session to resume). */
    private X509Certificate servedCertificate()
    {
        try {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int index = 0;
            for (java.security.cert.Certificate ca : java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(Files.readAllBytes(cluster.caCertificate())))) {
                trust.setCertificateEntry("ca-" + index++, ca);
            }
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("localhost", cluster.coordinator().httpsPort())) {
                socket.startHandshake();
                return (X509Certificate) socket.getSession().getPeerCertificates()[0];
            }
        }
        catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new AssertionError("No TLS handshake with the coordinator: " + e, e);
        }
    }

    /** Waits for {@code condition} (up to 90 s: a few renewals of 12 s certificates), running queries meanwhile. */
    private void awaitWithQueries(String what, BooleanSupplier condition)
            throws SQLException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            assertThat(count()).isEqualTo(ROWS);
        }
    }

    private long count()
            throws SQLException
    {
        // anonymous (the cluster allows it): a password is checked with bcrypt on every request of the protocol
        try (Connection connection = cluster.jdbc();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM access_logs")) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }

    private record CliRun(int exitCode, String out, String err) {}

    private CliRun node(Map<String, String> env, String... args)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 5];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = cluster.serverUri();
        all[args.length + 2] = "--truststore";
        all[args.length + 3] = cluster.caCertificate().toString();
        all[args.length + 4] = "--password";
        int exit = NodeCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void await(String what, BooleanSupplier condition)
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }
}
