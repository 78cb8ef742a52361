package io.glaux.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.FormatRegistry;
import io.glaux.connectors.format.PageSourceProvider;
import io.glaux.connectors.split.Split;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.fragment.ScanFragment;
import io.glaux.engine.fragment.Task;
import io.glaux.spi.type.Type;
import io.glaux.engine.exchange.RemoteTaskStream;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.engine.exchange.WorkerClient;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestWorkerServer
{
    @TempDir
    Path dir;

    private BufferAllocator root;
    private TlsMaterial workerTls;
    private TlsMaterial coordinatorTls;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp()
    {
        root = new RootAllocator();
        workerTls = TlsMaterial.loadOrCreate(dir.resolve("tls"), "worker-1", List.of());
        coordinatorTls = TlsMaterial.loadOrCreate(dir.resolve("tls"), "coordinator", List.of());
    }

    @AfterEach
    void tearDown()
            throws Exception
    {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
        // fails the test if a task, runner, stream or client leaked Arrow memory
        root.close();
    }

    private WorkerServer startWorker(SyntheticPageSourceFactory pageSources, int concurrency)
    {
        return startWorker(PageSourceProvider.of(pageSources), concurrency);
    }

    private WorkerServer startWorker(PageSourceProvider pageSources, int concurrency)
    {
        WorkerServer server = WorkerServer.start(WorkerServer.Options.loopback("worker-1").withTaskConcurrency(concurrency), workerTls, pageSources, root);
        closeables.add(server);
        return server;
    }

    private WorkerClient client(WorkerServer server)
    {
        WorkerClient client = new WorkerClient(server.flightUri(), coordinatorTls, root, server.nodeId());
        closeables.add(client);
        return client;
    }

    @Test
    void runsFilterAndPartialAggregationOverSplitsInParallel()
    {
        SyntheticPageSourceFactory pageSources = new SyntheticPageSourceFactory(10_000, 1024, 0);
        WorkerServer server = startWorker(pageSources, 4);
        WorkerClient client = client(server);
        assertThat(server.flightUri().toString()).startsWith("grpc+tls://127.0.0.1:");

        Map<String, List<Long>> totals = new TreeMap<>();
        long batches = 0;
        try (RemoteTaskStream stream = client.execute(TestingTasks.errorsByHost("q1", TestingTasks.splits(8)))) {
            assertThat(stream.schema().getFields()).hasSize(3);
            while (stream.next()) {
                batches++;
                TestingTasks.mergePartials(stream.root(), totals);
            }
        }
        assertThat(totals).isEqualTo(TestingTasks.expectedErrorsByHost(8, 10_000));
        // one partial result per driver: at most 4 drivers x 3 hosts
        assertThat(batches).isBetween(1L, 4L);

        awaitNoRunningTasks(server);
        WorkerStats stats = server.stats();
        assertThat(stats.tasksStarted()).isEqualTo(1);
        assertThat(stats.tasksSucceeded()).isEqualTo(1);
        assertThat(stats.splitsProcessed()).isEqualTo(8);
        assertThat(stats.runningTasks()).isZero();
        assertThat(stats.batchesSent()).isEqualTo(batches);
        assertThat(pageSources.opened.get()).isEqualTo(8);
        assertThat(pageSources.open.get()).isZero();
    }

    @Test
    void reportsTheBytesItFetchesDuringALongSplit()
    {
        // one split of 1,000,000 rows that "fetches" 24 bytes a row: 24 MB, three times the reporting step
        SyntheticPageSourceFactory pageSources = new SyntheticPageSourceFactory(1_000_000, 4096, 0);
        WorkerServer server = startWorker(pageSources, 1);
        WorkerClient client = client(server);
        List<Long> reports = new ArrayList<>();
        Map<String, List<Long>> totals = new TreeMap<>();
        try (RemoteTaskStream stream = client.execute(TestingTasks.errorsByHost("q-progress", TestingTasks.splits(1)))) {
            stream.onProgress(reports::add);
            while (stream.next()) {
                TestingTasks.mergePartials(stream.root(), totals);
            }
        }
        assertThat(totals).isEqualTo(TestingTasks.expectedErrorsByHost(1, 1_000_000));
        long total = 24L * 1_000_000;
        assertThat(reports).isSorted().doesNotHaveDuplicates().last().isEqualTo(total);
        // reported while the one split was being read, every 8 MB or so: a bytes-scanned limit need not wait for its end
        List<Long> midSplit = reports.stream().filter(bytes -> bytes < total).toList();
        assertThat(midSplit).hasSizeGreaterThanOrEqualTo(2);
        assertThat(midSplit.getFirst()).isBetween(TaskExecution.PROGRESS_BYTES, TaskExecution.PROGRESS_BYTES + 4096 * 24);
        awaitNoRunningTasks(server);
    }

    @Test
    void streamsLargeOutputWithBackpressure()
            throws Exception
    {
        SyntheticPageSourceFactory pageSources = new SyntheticPageSourceFactory(100_000, 4096, 0);
        WorkerServer server = startWorker(pageSources, 4);
        WorkerClient client = client(server);

        long rows = 0;
        long sum = 0;
        try (RemoteTaskStream stream = client.execute(TestingTasks.scanAll("q2", TestingTasks.splits(8)))) {
            stream.schema();
            // let the worker run into the stream's flow-control window before reading
            Thread.sleep(1000);
            while (stream.next()) {
                BigIntVector bytes = (BigIntVector) stream.root().getVector(0);
                for (int i = 0; i < stream.root().getRowCount(); i++) {
                    sum += bytes.get(i);
                }
                rows += stream.root().getRowCount();
            }
        }
        long expectedSum = 0;
        for (long g = 0; g < 800_000; g++) {
            expectedSum += SyntheticPageSourceFactory.bytes(g);
        }
        assertThat(rows).isEqualTo(800_000);
        assertThat(sum).isEqualTo(expectedSum);
        assertThat(server.stats().rowsSent()).isEqualTo(800_000);
        assertThat(server.stats().bytesSent()).isGreaterThan(800_000L * 8);
    }

    @Test
    void aRetiredClientClosesWhenItsLastStreamCloses()
    {
        SyntheticPageSourceFactory pageSources = new SyntheticPageSourceFactory(100_000, 4096, 0);
        WorkerServer server = startWorker(pageSources, 2);
        // not closed by the test: retiring it must close it, or the root allocator reports the leak
        WorkerClient client = new WorkerClient(server.flightUri(), coordinatorTls, root, server.nodeId());
        long rows = 0;
        try (RemoteTaskStream first = client.execute(TestingTasks.scanAll("q-retire-1", TestingTasks.splits(2)));
                RemoteTaskStream second = client.execute(TestingTasks.scanAll("q-retire-2", TestingTasks.splits(2)))) {
            assertThat(first.next()).isTrue();
            // the worker failed for some other task: streams still open keep their buffers
            client.retire();
            while (second.next()) {
                rows += second.root().getRowCount();
            }
            assertThat(first.root().getRowCount()).isPositive();
        }
        assertThat(rows).isEqualTo(200_000);
    }

    @Test
    void emptyTaskCompletes()
    {
        WorkerServer server = startWorker(new SyntheticPageSourceFactory(10, 10, 0), 2);
        WorkerClient client = client(server);
        Map<String, List<Long>> totals = new TreeMap<>();
        try (RemoteTaskStream stream = client.execute(TestingTasks.errorsByHost("q3", List.of()))) {
            while (stream.next()) {
                TestingTasks.mergePartials(stream.root(), totals);
            }
        }
        assertThat(totals).isEmpty();
        assertThat(server.stats().tasksSucceeded()).isEqualTo(1);
    }

    @Test
    void workerErrorsKeepTheirErrorCodeAndMessage()
    {
        SyntheticPageSourceFactory pageSources = new SyntheticPageSourceFactory(100_000, 1000, 1);
        WorkerServer server = startWorker(pageSources, 2);
        WorkerClient client = client(server);

        List<Split> splits = new ArrayList<>(TestingTasks.splits(3));
        splits.add(1, SyntheticPageSourceFactory.corruptSplit());
        GlauxException failure;
        try (RemoteTaskStream stream = client.execute(TestingTasks.scanAll("q4", splits))) {
            failure = catchThrowableOfType(GlauxException.class, () -> {
                while (stream.next()) {
                    // drain
                }
            });
        }
        assertThat(failure).isNotNull();
        assertThat(failure.errorCode()).isEqualTo(ErrorCode.CORRUPT_FILE);
        assertThat(failure.getMessage()).isEqualTo("Corrupt page in s3://logs/access/corrupt-9 at offset 4242");
        assertThat(failure.getMessage()).doesNotContain("Exception", "\tat ");

        awaitNoRunningTasks(server);
        assertThat(server.stats().tasksFailed()).isEqualTo(1);
        // the other drivers were stopped too
        assertThat(pageSources.open.get()).isZero();
    }

    @Test
    void rejectsClientsWithoutAClusterCertificate()
            throws Exception
    {
        WorkerServer server = startWorker(new SyntheticPageSourceFactory(10, 10, 0), 1);
        Location location = Location.forGrpcTls("127.0.0.1", server.port());

        // TLS without a client certificate
        try (InputStream ca = Files.newInputStream(coordinatorTls.caCertificate())) {
            assertPingRejected(FlightClient.builder(root, location).trustedCertificates(ca).build());
        }

        // a certificate from another cluster's CA
        TlsMaterial stranger = TlsMaterial.loadOrCreate(dir.resolve("other-cluster"), "coordinator", List.of());
        try (InputStream ca = Files.newInputStream(coordinatorTls.caCertificate());
                InputStream cert = Files.newInputStream(stranger.certificateChain());
                InputStream key = Files.newInputStream(stranger.privateKey())) {
            assertPingRejected(FlightClient.builder(root, location).trustedCertificates(ca).clientCertificate(cert, key).build());
        }

        // and the cluster's own certificate works
        assertThat(client(server).ping(Duration.ofSeconds(5))).isTrue();

        // a WorkerClient with foreign material reports the worker as failed
        try (WorkerClient foreignClient = new WorkerClient(server.flightUri(), stranger, root, "worker-1")) {
            assertThat(foreignClient.ping(Duration.ofSeconds(5))).isFalse();
            GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
                try (RemoteTaskStream stream = foreignClient.execute(TestingTasks.errorsByHost("q5", TestingTasks.splits(1)))) {
                    stream.next();
                }
            });
            assertThat(failure.errorCode()).isEqualTo(ErrorCode.WORKER_FAILED);
            assertThat(failure.getMessage()).startsWith("Worker worker-1 at " + server.flightUri() + " failed: ");
        }
        assertThat(server.stats().tasksStarted()).isZero();
    }

    @Test
    void aWorkerWhoseCertificateNamesAnotherNodeGetsNoTask()
            throws Exception
    {
        // the Flight server at this address holds worker-1's certificate (CA-signed, naming 127.0.0.1):
        // a client told it is worker-2 (what worker-2 announced, e.g. with a stolen key or a wrong
        // address) refuses it in the handshake, before any task is sent
        WorkerServer server = startWorker(new SyntheticPageSourceFactory(10, 10, 0), 1);
        try (WorkerClient misnamed = new WorkerClient(server.flightUri(), coordinatorTls, root, "worker-2")) {
            assertThat(misnamed.ping(Duration.ofSeconds(5))).isFalse();
            GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
                try (RemoteTaskStream stream = misnamed.execute(TestingTasks.errorsByHost("q6", TestingTasks.splits(1)))) {
                    stream.next();
                }
            });
            assertThat(failure.errorCode()).isEqualTo(ErrorCode.WORKER_FAILED);
            assertThat(failure.getMessage())
                    .startsWith("Worker worker-2 at " + server.flightUri() + " failed: ")
                    .contains("The certificate of the worker announced as worker-2 names another node (CN=worker-1,O=Glaux)");
        }
        assertThat(server.stats().tasksStarted()).isZero();
        // the same server under its own name is trusted
        assertThat(client(server).ping(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aRevokedWorkersStreamsInFlightFailAtOnceNamingTheRevocation()
    {
        SyntheticPageSourceFactory pageSources = new SyntheticPageSourceFactory(-1, 1000, 10);
        WorkerServer server = startWorker(pageSources, 2);
        io.glaux.engine.exchange.RevocationList revocations = new io.glaux.engine.exchange.RevocationList();
        // not closed by the test: once revoked, it closes with its last stream, or the root allocator reports the leak
        WorkerClient client = new WorkerClient(server.flightUri(), coordinatorTls, root, server.nodeId(), revocations);
        try (RemoteTaskStream stream = client.execute(TestingTasks.scanAll("q-revoked", TestingTasks.splits(4)))) {
            assertThat(stream.next()).isTrue();
            long start = System.nanoTime();
            revocations.replace(new io.glaux.engine.exchange.RevocationList.Snapshot(java.util.Set.of(), Map.of("worker-1", java.time.Instant.now())));
            client.revoke("node worker-1 was revoked");
            GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
                while (stream.next()) {
                    // drain what was buffered
                }
            });
            assertThat(failure.errorCode()).isEqualTo(ErrorCode.WORKER_FAILED);
            assertThat(failure.getMessage()).startsWith("Worker worker-1 at " + server.flightUri() + " failed: ").contains("its certificate is revoked (node worker-1 was revoked)");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        }
        assertThat(client.isRevoked()).isTrue();
        // the worker's task saw the cancellation
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.runningTasks() > 0) {
            assertThat(System.nanoTime()).as("the task stops").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        // and a new client to it fails the handshake
        WorkerClient again = new WorkerClient(server.flightUri(), coordinatorTls, root, server.nodeId(), revocations);
        closeables.add(again);
        assertThat(again.ping(Duration.ofSeconds(5))).isFalse();
    }

    @Test
    void aWorkerClosesTheConnectionsOfANodeRevokedAfterItConnected()
    {
        SyntheticPageSourceFactory pageSources = new SyntheticPageSourceFactory(-1, 1000, 10);
        WorkerServer server = startWorker(pageSources, 2);
        TlsMaterial peerTls = TlsMaterial.loadOrCreate(dir.resolve("tls"), "peer-9", List.of());
        WorkerClient fromPeer = new WorkerClient(server.flightUri(), peerTls, root, server.nodeId());
        closeables.add(fromPeer);
        WorkerClient fromCoordinator = client(server);
        try (RemoteTaskStream stream = fromPeer.execute(TestingTasks.scanAll("q-from-peer", TestingTasks.splits(4)))) {
            assertThat(stream.next()).isTrue();
            assertThat(fromCoordinator.ping(Duration.ofSeconds(5))).isTrue();
            assertThat(server.openConnections()).isEqualTo(2);
            long start = System.nanoTime();
            // what the worker learns with the answer to an announcement
            server.revocations().replace(new io.glaux.engine.exchange.RevocationList.Snapshot(java.util.Set.of(), Map.of("peer-9", java.time.Instant.now())));
            GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
                while (stream.next()) {
                    // drain what was buffered
                }
            });
            assertThat(failure.errorCode()).isEqualTo(ErrorCode.WORKER_FAILED);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.runningTasks() > 0) {
            assertThat(System.nanoTime()).as("the revoked peer's task stops").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        // the revoked peer cannot connect again; the coordinator's connection is untouched
        assertThat(fromPeer.ping(Duration.ofSeconds(5))).isFalse();
        assertThat(fromCoordinator.ping(Duration.ofSeconds(5))).isTrue();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.openConnections() != 1) {
            assertThat(System.nanoTime()).as("only the coordinator's connection is left").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    @Test
    void serverShutdownMidStreamIsWorkerFailed()
            throws Exception
    {
        SyntheticPageSourceFactory pageSources = new SyntheticPageSourceFactory(-1, 1000, 10);
        WorkerServer server = startWorker(pageSources, 2);
        WorkerClient client = client(server);
        URI uri = server.flightUri();

        try (RemoteTaskStream stream = client.execute(TestingTasks.scanAll("q6", TestingTasks.splits(4)))) {
            assertThat(stream.next()).isTrue();
            long start = System.nanoTime();
            Thread closer = Thread.ofPlatform().start(server::close);
            GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
                while (stream.next()) {
                    // drain
                }
            });
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            closer.join();
            System.out.printf("server shutdown detected by the client after %d ms%n", millis);
            assertThat(failure).isNotNull();
            assertThat(failure.errorCode()).isEqualTo(ErrorCode.WORKER_FAILED);
            assertThat(failure.getMessage()).startsWith("Worker worker-1 at " + uri + " failed: ").contains("shutting down");
            assertThat(millis).isLessThan(5_000);
        }
        assertThat(pageSources.open.get()).isZero();

        // the worker is gone: a ping says so quickly and a new task fails with WORKER_FAILED
        long start = System.nanoTime();
        assertThat(client.ping(Duration.ofSeconds(5))).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4_000);
        GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
            try (RemoteTaskStream stream = client.execute(TestingTasks.scanAll("q7", TestingTasks.splits(1)))) {
                stream.next();
            }
        });
        assertThat(failure.errorCode()).isEqualTo(ErrorCode.WORKER_FAILED);
        assertThat(failure.getMessage()).startsWith("Worker worker-1 at " + uri + " failed: UNAVAILABLE");
    }

    @Test
    void closingTheStreamCancelsTheTask()
            throws Exception
    {
        SyntheticPageSourceFactory pageSources = new SyntheticPageSourceFactory(-1, 1000, 5);
        WorkerServer server = startWorker(pageSources, 2);
        WorkerClient client = client(server);

        try (RemoteTaskStream stream = client.execute(TestingTasks.scanAll("q8", TestingTasks.splits(4)))) {
            for (int i = 0; i < 3; i++) {
                assertThat(stream.next()).isTrue();
            }
        }
        long start = System.nanoTime();
        awaitNoRunningTasks(server);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("worker stopped a cancelled task after %d ms%n", millis);
        long produced = pageSources.batchesProduced.get();
        Thread.sleep(300);
        assertThat(pageSources.batchesProduced.get()).isEqualTo(produced);
        assertThat(pageSources.open.get()).isZero();
        assertThat(server.stats().tasksCancelled()).isEqualTo(1);
        assertThat(millis).isLessThan(2_000);

        // the worker still serves new tasks
        Map<String, List<Long>> totals = new TreeMap<>();
        try (RemoteTaskStream stream = client(server).execute(TestingTasks.errorsByHost("q9", List.of()))) {
            while (stream.next()) {
                TestingTasks.mergePartials(stream.root(), totals);
            }
        }
        assertThat(server.stats().tasksSucceeded()).isEqualTo(1);
    }

    @Test
    void explicitCancelFailsTheReaderWithUserCanceled()
    {
        SyntheticPageSourceFactory pageSources = new SyntheticPageSourceFactory(-1, 1000, 5);
        WorkerServer server = startWorker(pageSources, 1);
        WorkerClient client = client(server);
        try (RemoteTaskStream stream = client.execute(TestingTasks.scanAll("q10", TestingTasks.splits(1)))) {
            assertThat(stream.next()).isTrue();
            stream.cancel();
            GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
                while (stream.next()) {
                    // drain what was in flight
                }
            });
            assertThat(failure.errorCode()).isEqualTo(ErrorCode.USER_CANCELED);
        }
        awaitNoRunningTasks(server);
        assertThat(pageSources.open.get()).isZero();
    }

    @Test
    void unreachableWorkersFailFast()
            throws Exception
    {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI uri = URI.create("grpc+tls://127.0.0.1:" + port);
        try (WorkerClient client = new WorkerClient(uri, coordinatorTls, root, "worker-9")) {
            long start = System.nanoTime();
            assertThat(client.ping(Duration.ofSeconds(5))).isFalse();
            GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
                try (RemoteTaskStream stream = client.execute(TestingTasks.scanAll("q11", TestingTasks.splits(1)))) {
                    stream.schema();
                }
            });
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(failure.errorCode()).isEqualTo(ErrorCode.WORKER_FAILED);
            assertThat(failure.getMessage()).startsWith("Worker worker-9 at " + uri + " failed: UNAVAILABLE");
            assertThat(millis).isLessThan(3_000);
        }
    }

    @Test
    void statsActionReportsCounters()
            throws Exception
    {
        WorkerServer server = startWorker(new SyntheticPageSourceFactory(100, 10, 0), 1);
        WorkerClient client = client(server);
        try (RemoteTaskStream stream = client.execute(TestingTasks.scanAll("q12", TestingTasks.splits(2)))) {
            while (stream.next()) {
                // drain
            }
        }
        WorkerStats stats = server.stats();
        assertThat(stats.nodeId()).isEqualTo("worker-1");
        assertThat(stats.rowsRead()).isEqualTo(200);
        assertThat(stats.bytesRead()).isEqualTo(200 * 24);
        assertThat(stats.rowsSent()).isEqualTo(200);
        assertThat(stats.batchesSent()).isBetween(1L, 20L);
        assertThat(stats.bytesSent()).isPositive();
        assertThat(stats.splitsProcessed()).isEqualTo(2);

        // the same counters over Flight, as JSON
        try (InputStream ca = Files.newInputStream(coordinatorTls.caCertificate());
                InputStream cert = Files.newInputStream(coordinatorTls.certificateChain());
                InputStream key = Files.newInputStream(coordinatorTls.privateKey())) {
            FlightClient flight = FlightClient.builder(root, Location.forGrpcTls("127.0.0.1", server.port()))
                    .trustedCertificates(ca).clientCertificate(cert, key).build();
            try {
                Iterator<Result> results = flight.doAction(new Action(WorkerServer.STATS_ACTION));
                JsonNode json = new ObjectMapper().readTree(results.next().getBody());
                assertThat(json.get("nodeId").asText()).isEqualTo("worker-1");
                assertThat(json.get("rowsSent").asLong()).isEqualTo(200);
                assertThat(json.get("tasksSucceeded").asLong()).isEqualTo(1);
            }
            finally {
                flight.close();
            }
        }
    }

    @Test
    void undecodableTicketsAreRejected()
    {
        WorkerServer server = startWorker(new SyntheticPageSourceFactory(10, 10, 0), 1);
        WorkerClient client = client(server);
        GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
            try (RemoteTaskStream stream = client.execute("garbage", "{not a task".getBytes(StandardCharsets.UTF_8))) {
                stream.next();
            }
        });
        assertThat(failure.errorCode()).isEqualTo(ErrorCode.GENERIC_INTERNAL_ERROR);
        assertThat(failure.getMessage()).startsWith("Cannot decode task");
        assertThat(server.stats().tasksStarted()).isZero();
    }

    @Test
    void invalidFragmentsFailTheTask()
    {
        WorkerServer server = startWorker(new SyntheticPageSourceFactory(10, 10, 0), 1);
        WorkerClient client = client(server);
        // the fragment reads a column the page source does not have
        Task task = TestingTasks.scanAll("q13", TestingTasks.splits(1));
        ScanFragment fragment = task.fragment();
        ScanFragment missingColumn = new ScanFragment(fragment.table(), fragment.format(), fragment.formatProperties(),
                List.of(new ColumnHandle("nope", Type.BIGINT, ColumnHandle.Kind.REGULAR)), Optional.empty(),
                List.of(new Expression.InputRef(0, Type.BIGINT)), Optional.empty(), fragment.pruning(), fragment.limit());
        GlauxException failure = catchThrowableOfType(GlauxException.class, () -> {
            try (RemoteTaskStream stream = client.execute(new Task("q13", 2, missingColumn, task.splits()))) {
                stream.next();
            }
        });
        assertThat(failure.errorCode()).isEqualTo(ErrorCode.COLUMN_NOT_FOUND);
        assertThat(failure.getMessage()).isEqualTo("No column nope in s3://logs/access/part-0");
    }

    @Test
    void eachTaskReadsWithTheFactoryOfItsFormat()
    {
        SyntheticPageSourceFactory parquet = new SyntheticPageSourceFactory(10, 10, 0);
        SyntheticPageSourceFactory text = new SyntheticPageSourceFactory(20, 10, 0);
        List<Map<String, String>> textProperties = new java.util.concurrent.CopyOnWriteArrayList<>();
        FormatRegistry registry = FormatRegistry.builder()
                .add("parquet", _ -> parquet)
                .add("text", properties -> {
                    textProperties.add(properties);
                    return text;
                })
                .build();
        WorkerServer server = startWorker(registry, 2);
        WorkerClient client = client(server);

        Task parquetTask = TestingTasks.scanAll("q20", TestingTasks.splits(2));
        assertThat(countRows(client, parquetTask)).isEqualTo(20);
        ScanFragment fragment = parquetTask.fragment();
        Map<String, String> properties = Map.of("field.delim", "\t", "columns", "status,bytes,host");
        ScanFragment textFragment = new ScanFragment(fragment.table(), "TEXT", properties, fragment.columns(), fragment.filter(),
                fragment.projections(), fragment.aggregation(), fragment.pruning(), fragment.limit());
        assertThat(countRows(client, new Task("q21", 1, textFragment, TestingTasks.splits(2)))).isEqualTo(40);
        assertThat(parquet.opened.get()).isEqualTo(2);
        assertThat(text.opened.get()).isEqualTo(2);
        // the properties reach the format's factory unchanged, once per task
        assertThat(textProperties).containsExactly(properties);

        ScanFragment unknown = new ScanFragment(fragment.table(), "orc", Map.of(), fragment.columns(), fragment.filter(),
                fragment.projections(), fragment.aggregation(), fragment.pruning(), fragment.limit());
        GlauxException failure = catchThrowableOfType(GlauxException.class, () -> countRows(client, new Task("q22", 1, unknown, TestingTasks.splits(1))));
        assertThat(failure.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED);
        assertThat(failure.getMessage()).isEqualTo("File format 'orc' is not supported (supported: parquet, text)");
        assertThat(server.stats().tasksFailed()).isEqualTo(1);
    }

    private static long countRows(WorkerClient client, Task task)
    {
        long rows = 0;
        try (RemoteTaskStream stream = client.execute(task)) {
            while (stream.next()) {
                rows += stream.root().getRowCount();
            }
        }
        return rows;
    }

    private static void assertPingRejected(FlightClient client)
            throws InterruptedException
    {
        try {
            assertThatThrownBy(() -> client.doAction(new Action(WorkerClient.PING_ACTION)).next())
                    .isInstanceOf(FlightRuntimeException.class);
        }
        finally {
            client.close();
        }
    }

    private static void awaitNoRunningTasks(WorkerServer server)
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.stats().runningTasks() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("tasks still running: " + server.stats());
            }
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
