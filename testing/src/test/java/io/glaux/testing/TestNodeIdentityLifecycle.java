package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.glaux.cli.NodeCommand;
import io.glaux.coordinator.CoordinatorConfig;
import io.glaux.coordinator.security.AuthenticationConfig;
import io.glaux.engine.exchange.RevocationList;
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
