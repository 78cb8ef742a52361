package io.glaux.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.format.PageSourceProvider;
import io.glaux.engine.exchange.ExchangeClient;
import io.glaux.engine.exchange.ExchangeTickets;
import io.glaux.engine.exchange.RemoteTaskStream;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.engine.exchange.WorkerClient;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.AggregateFunction;
import io.glaux.engine.fragment.Task;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Two workers over real Flight and mutual TLS: scan tasks hash-partition their partial aggregation
 * into their worker's output buffer; one stage task per worker pulls its partition from both workers
 * (worker to worker) and runs the FINAL aggregation; an {@link ExchangeClient} gathers the stage
 * tasks' output. Also: a full buffer holds its scan task back, an abort frees it, and a source that
 * fails fails the exchange with a coded error.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestWorkerExchange
{
    private static final List<Type> PARTIAL_TYPES = List.of(Type.VARCHAR, Type.BIGINT, Type.BIGINT);
    private static final List<AggregateCall> CALLS = List.of(
            new AggregateCall(AggregateFunction.SUM, 1, Type.BIGINT),
            new AggregateCall(AggregateFunction.COUNT_STAR, -1, Type.BIGINT));

    @TempDir
    Path dir;

    private BufferAllocator root;
    private TlsMaterial coordinatorTls;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp()
    {
        root = new RootAllocator();
        coordinatorTls = TlsMaterial.loadOrCreate(dir.resolve("tls"), "coordinator", List.of());
    }

    @AfterEach
    void tearDown()
            throws Exception
    {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
        // fails the test if a buffer, task, stream or client leaked Arrow memory
        root.close();
    }

    private WorkerServer startWorker(String nodeId, long maxMemory)
    {
        TlsMaterial tls = TlsMaterial.loadOrCreate(dir.resolve("tls"), nodeId, List.of());
        WorkerServer server = WorkerServer.start(WorkerServer.Options.loopback(nodeId).withTaskConcurrency(2).withMaxMemoryPerNode(maxMemory), tls,
                PageSourceProvider.of(new SyntheticPageSourceFactory(10_000, 1024, 0)), root);
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
    void stageTasksMergeTheirPartitionFromEveryWorker()
    {
        List<WorkerServer> workers = List.of(startWorker("worker-1", 1L << 30), startWorker("worker-2", 1L << 30));
        List<WorkerClient> clients = workers.stream().map(this::client).toList();
        List<ExchangeTickets.Location> producers = workers.stream().map(worker -> new ExchangeTickets.Location(worker.nodeId(), worker.flightUri())).toList();

        PlanNode leaf = new PlanNode.RemoteSource(new PlanNodeId(1), List.of(1), PlanNode.ExchangeType.REPARTITION, List.of(), PARTIAL_TYPES);
        PlanNode merge = new PlanNode.Aggregate(new PlanNodeId(2), leaf, PlanNode.Step.FINAL, List.of(0), List.of(), CALLS);
        List<ExchangeClient.Source> sources = new ArrayList<>();
        for (int partition = 0; partition < 2; partition++) {
            ExchangeTickets.StageTask task = new ExchangeTickets.StageTask("q1", 2, partition, 2, merge, producers);
            sources.add(new ExchangeClient.Source(clients.get(partition), task.label(), ExchangeTickets.encode(task)));
        }
        Map<String, List<Long>> totals = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        try (ExchangeClient exchange = new ExchangeClient(sources, PARTIAL_TYPES, root, 1 << 20)) {
            exchange.start();
            // the scan tasks: splits 0-3 on worker 1, 4-7 on worker 2, partitioned on the host
            List<Task> scans = List.of(partitioned(TestingTasks.errorsByHost("q1", TestingTasks.splits(8).subList(0, 4))),
                    partitioned(TestingTasks.errorsByHost("q1", TestingTasks.splits(8).subList(4, 8))));
            for (int i = 0; i < 2; i++) {
                try (RemoteTaskStream stream = clients.get(i).execute(scans.get(i))) {
                    // the output went to the buffers, not to the caller
                    assertThat(stream.next()).isFalse();
                }
            }
            byte[] noMoreInput = ExchangeTickets.encode(new ExchangeTickets.Fetch("q1", 1, 0, 2, PARTIAL_TYPES));
            clients.forEach(client -> client.doAction(ExchangeTickets.NO_MORE_INPUT_ACTION, noMoreInput, Duration.ofSeconds(10)));
            while (true) {
                try (VectorSchemaRoot batch = exchange.next(() -> {})) {
                    if (batch == null) {
                        break;
                    }
                    for (int row = 0; row < batch.getRowCount(); row++) {
                        // each host is merged by exactly one stage task
                        assertThat(seen.add(String.valueOf(batch.getVector(0).getObject(row)))).isTrue();
                    }
                    TestingTasks.mergePartials(batch, totals);
                }
            }
        }
        assertThat(totals).isEqualTo(TestingTasks.expectedErrorsByHost(8, 10_000));
        for (WorkerServer worker : workers) {
            await(() -> worker.outputBuffers() == 0 && worker.reservedQueryMemory() == 0);
            assertThat(worker.outputBuffers()).isZero();
            assertThat(worker.reservedQueryMemory()).isZero();
            assertThat(worker.exchangePeers()).isEqualTo(2);
        }
    }

    @Test
    void aFullBufferHoldsTheScanBackAndAnAbortFreesIt()
    {
        // 16MB per query: the buffer holds at most 1MB
        WorkerServer worker = startWorker("worker-1", 16L << 20);
        WorkerClient client = client(worker);
        Task task = TestingTasks.scanAll("q2", TestingTasks.splits(40));
        Task scan = new Task(task.queryId(), task.taskId(), task.fragment(), task.splits(), Optional.empty(),
                Optional.of(new Task.PartitionedOutput(1, List.of(1), 2, List.of(Type.BIGINT, Type.VARCHAR))));
        try (RemoteTaskStream stream = client.execute(scan)) {
            stream.schema();
            await(() -> worker.outputBuffers() == 1 && worker.reservedQueryMemory() > (1L << 20) / 2);
            long reserved = worker.reservedQueryMemory();
            // nobody reads: the scan (400,000 rows, ~7MB) is held back with about 1MB buffered
            assertThat(worker.stats().splitsProcessed()).isLessThan(40);
            assertThat(reserved).isLessThan(8L << 20);
            client.doAction(ExchangeTickets.ABORT_STAGE_ACTION, ExchangeTickets.encodeStage("q2", 1), Duration.ofSeconds(10));
            assertThatThrownBy(() -> {
                while (stream.next()) {
                    // the task ends with the abort's error
                }
            }).isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
        }
        await(() -> worker.outputBuffers() == 0 && worker.reservedQueryMemory() == 0 && worker.runningTasks() == 0);
        assertThat(worker.reservedQueryMemory()).isZero();
        // a task of the aborted stage arriving late cannot create a buffer again
        try (RemoteTaskStream stream = client.execute(scan)) {
            assertThatThrownBy(stream::next).isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
        }
        await(() -> worker.reservedQueryMemory() == 0 && worker.runningTasks() == 0);
        assertThat(worker.outputBuffers()).isZero();
    }

    @Test
    void aFailingSourceFailsTheExchangeAndCancelsTheOthers()
            throws Exception
    {
        WorkerServer worker = startWorker("worker-1", 1L << 30);
        WorkerClient client = client(worker);
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        WorkerClient dead = clientTo(URI.create("grpc+tls://127.0.0.1:" + deadPort), "worker-dead");
        // a fetch that never ends (its producers never finish) and one from a worker that is gone
        byte[] fetch = ExchangeTickets.encode(new ExchangeTickets.Fetch("q3", 1, 0, 1, PARTIAL_TYPES));
        List<ExchangeClient.Source> sources = List.of(new ExchangeClient.Source(client, "q3.live", fetch), new ExchangeClient.Source(dead, "q3.dead", fetch));
        try (ExchangeClient exchange = new ExchangeClient(sources, PARTIAL_TYPES, root, 1 << 20)) {
            assertThatThrownBy(() -> exchange.next(() -> {}))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.WORKER_FAILED))
                    .hasMessageContaining("worker-dead");
        }
        // the live fetch was cancelled: the consumer went away, so the buffer was aborted and freed
        await(() -> worker.outputBuffers() == 0 && worker.reservedQueryMemory() == 0);
        assertThat(worker.outputBuffers()).isZero();
        assertThat(worker.reservedQueryMemory()).isZero();
    }

    private WorkerClient clientTo(URI uri, String nodeId)
    {
        WorkerClient client = new WorkerClient(uri, coordinatorTls, root, nodeId);
        closeables.add(client);
        return client;
    }

    private static Task partitioned(Task task)
    {
        return new Task(task.queryId(), task.taskId(), task.fragment(), task.splits(), task.pipeline(),
                Optional.of(new Task.PartitionedOutput(1, List.of(0), 2, PARTIAL_TYPES)));
    }

    private static void await(BooleanSupplier condition)
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeException(e);
            }
        }
    }
}
