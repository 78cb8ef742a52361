package io.glaux.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.connectors.format.PageSourceProvider;
import io.glaux.engine.exchange.ExchangeTickets;
import io.glaux.engine.exchange.RemoteErrors;
import io.glaux.engine.exchange.TaskTickets;
import io.glaux.engine.exchange.NodeKeys;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.engine.exchange.WorkerClient;
import io.glaux.engine.fragment.Task;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.engine.exchange.RevocationList;
import io.grpc.netty.NettyServerBuilder;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import io.glaux.engine.memory.MemoryPool;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.memory.SpillSpace;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A worker's Arrow Flight server, over mutual TLS: it presents the node certificate and accepts only
 * clients whose certificate the cluster CA signed.
 *
 * <ul>
 *   <li>{@code DoGet(ticket)}: the ticket is a {@link Task} ({@link TaskTickets}). The task's splits run
 *       on a pool of {@code taskConcurrency} threads shared by all tasks (read with the
 *       {@link PageSourceProvider}'s reader for the fragment's format), one
 *       {@link io.glaux.engine.operator.FragmentRunner} per driver thread, and their output batches are
 *       streamed back. Failures end the call with the {@link GlauxException}'s code and message
 *       ({@link RemoteErrors}); a cancelled call stops the task's drivers.</li>
 *   <li>{@code DoAction("ping")} returns {@code ok}; {@code DoAction("stats")} returns {@link WorkerStats} as JSON.</li>
 * </ul>
 */
public final class WorkerServer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(WorkerServer.class);
    public static final String STATS_ACTION = "stats";
    private static final Duration KEEPALIVE_TIME = Duration.ofSeconds(10);
    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * An exchange buffer nobody produced into or consumed from for this long is abandoned (its
     * coordinator died mid-query, or its consumer was lost) and freed: longer than a client may pause
     * between pages.
     */
    static final Duration ABANDONED_BUFFER_TIMEOUT = Duration.ofMinutes(10);

    private final Options options;
    private final PageSourceProvider pageSources;
    private final BufferAllocator allocator;
    private final ExecutorService driverPool;
    private final ExecutorService taskThreads;
    private final ExecutorService flightExecutor;
    private final ScheduledExecutorService reaper;
    private final WorkerCounters counters = new WorkerCounters();
    private final Set<TaskExecution> running = ConcurrentHashMap.newKeySet();
    private final QueryMemories queryMemory;
    /** What recently ended tasks fetched, for a coordinator that cancelled their streams before the end. */
    private final EndedTasks endedTasks = new EndedTasks();
    /** While set, answers to task-bytes wait for it (still within TASK_BYTES_WAIT): {@link #holdTaskBytesAnswers}. */
    private volatile java.util.concurrent.CountDownLatch taskBytesHold;
    private final ExchangeBuffers exchangeBuffers;
    private final NodeKeys keys;
    /** The connections other nodes opened here, to close those of a node revoked after they opened. */
    private final PeerConnections connections = new PeerConnections();
    private final io.netty.channel.EventLoopGroup bossGroup;
    private final io.netty.channel.EventLoopGroup ioGroup;
    /** The revoked node certificates, as the coordinator last said (with the answer to an announcement). */
    private final RevocationList revocations = new RevocationList();
    /** Flight clients to the other workers (and this one), for the exchanges between stages. */
    private final Map<URI, WorkerClient> peers = new ConcurrentHashMap<>();
    private final Set<StageTaskExecution> runningStageTasks = ConcurrentHashMap.newKeySet();
    private final FlightServer server;
    private final URI flightUri;
    private volatile boolean closing;

    /**
     * @param nodeId this worker's id, in error messages and logs
     * @param bindHost the address to listen on ({@code 127.0.0.1} by default)
     * @param advertisedHost the host name or address clients use (in {@link #flightUri()}); must be
     *         in the node certificate's SAN
     * @param port 0 for an ephemeral port
     * @param taskConcurrency threads running splits, shared by all tasks
     * @param maxMemoryPerNode what one query may hold on this worker ({@code query.max-memory-per-node})
     * @param spill where and how much its hash stages spill
     */
    public record Options(String nodeId, String bindHost, String advertisedHost, int port, int taskConcurrency, long maxMemoryPerNode, SpillConfig spill)
    {
        public Options
        {
            requireNonNull(nodeId, "nodeId is null");
            requireNonNull(bindHost, "bindHost is null");
            requireNonNull(advertisedHost, "advertisedHost is null");
            requireNonNull(spill, "spill is null");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (taskConcurrency < 1) {
                throw new IllegalArgumentException("taskConcurrency must be at least 1: " + taskConcurrency);
            }
            if (maxMemoryPerNode <= 0) {
                throw new IllegalArgumentException("maxMemoryPerNode must be positive: " + maxMemoryPerNode);
            }
        }

        /** Without spilling. */
        public Options(String nodeId, String bindHost, String advertisedHost, int port, int taskConcurrency, long maxMemoryPerNode)
        {
            this(nodeId, bindHost, advertisedHost, port, taskConcurrency, maxMemoryPerNode, SpillConfig.disabled());
        }

        /** Loopback, ephemeral port, one thread per available processor, no spilling. */
        public static Options loopback(String nodeId)
        {
            return new Options(nodeId, "127.0.0.1", "127.0.0.1", 0, Runtime.getRuntime().availableProcessors(), MemoryPool.defaultMaxBytes());
        }

        public Options withPort(int port)
        {
            return new Options(nodeId, bindHost, advertisedHost, port, taskConcurrency, maxMemoryPerNode, spill);
        }

        public Options withTaskConcurrency(int taskConcurrency)
        {
            return new Options(nodeId, bindHost, advertisedHost, port, taskConcurrency, maxMemoryPerNode, spill);
        }

        public Options withMaxMemoryPerNode(long maxMemoryPerNode)
        {
            return new Options(nodeId, bindHost, advertisedHost, port, taskConcurrency, maxMemoryPerNode, spill);
        }

        public Options withSpill(SpillConfig spill)
        {
            return new Options(nodeId, bindHost, advertisedHost, port, taskConcurrency, maxMemoryPerNode, spill);
        }
    }

    /**
     * Starts listening; the server runs until {@link #close()}. Each task's splits are opened with the
     * factory {@code pageSources} gives for the task fragment's format and format properties.
     */
    public static WorkerServer start(Options options, TlsMaterial tls, PageSourceProvider pageSources, BufferAllocator allocator)
    {
        return new WorkerServer(options, NodeKeys.of(tls), pageSources, allocator);
    }

    /**
     * As {@link #start(Options, TlsMaterial, PageSourceProvider, BufferAllocator)}, presenting the
     * certificate {@code keys} holds at each handshake (a renewed one without a restart).
     */
    public static WorkerServer start(Options options, NodeKeys keys, PageSourceProvider pageSources, BufferAllocator allocator)
    {
        return new WorkerServer(options, keys, pageSources, allocator);
    }

    private WorkerServer(Options options, NodeKeys keys, PageSourceProvider pageSources, BufferAllocator parentAllocator)
    {
        this.options = requireNonNull(options, "options is null");
        this.keys = requireNonNull(keys, "keys is null");
        TlsMaterial tls = keys.material();
        this.pageSources = requireNonNull(pageSources, "pageSources is null");
        requireNonNull(parentAllocator, "parentAllocator is null");
        this.allocator = parentAllocator.newChildAllocator("worker-" + options.nodeId(), 0, Long.MAX_VALUE);
        SpillSpace nodeSpill = nodeSpillSpace(options.spill());
        this.queryMemory = new QueryMemories(new MemoryPool(Math.max(options.maxMemoryPerNode(), MemoryPool.defaultMaxBytes())), options.maxMemoryPerNode(), allocator,
                options.spill().path(), nodeSpill, options.spill().maxBytesPerQuery().orElse(nodeSpill.limit()));
        this.exchangeBuffers = new ExchangeBuffers(queryMemory);
        this.reaper = Executors.newSingleThreadScheduledExecutor(daemonThreads("glaux-buffer-reaper-" + options.nodeId() + "-"));
        reaper.scheduleWithFixedDelay(() -> {
            int aborted = exchangeBuffers.abortIdle(System.nanoTime(), ABANDONED_BUFFER_TIMEOUT.toNanos());
            if (aborted > 0) {
                log.warn("Worker {}: freed {} abandoned exchange buffers", options.nodeId(), aborted);
            }
        }, 1, 1, TimeUnit.MINUTES);
        this.driverPool = new ThreadPoolExecutor(
                options.taskConcurrency(), options.taskConcurrency(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("glaux-driver-" + options.nodeId() + "-"));
        this.taskThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("glaux-task-" + options.nodeId() + "-", 0).factory());
        // gRPC's call executor: owned here (not by FlightServer, which shuts its own down before the
        // transports have finished, making Netty log RejectedExecutionExceptions)
        this.flightExecutor = Executors.newCachedThreadPool(daemonThreads("glaux-flight-" + options.nodeId() + "-"));
        // the server's own event loops, so that its listening channel can record the connections it accepts
        this.bossGroup = new io.netty.channel.MultiThreadIoEventLoopGroup(1, new io.netty.util.concurrent.DefaultThreadFactory("glaux-flight-accept-" + options.nodeId(), true),
                io.netty.channel.nio.NioIoHandler.newFactory());
        this.ioGroup = new io.netty.channel.MultiThreadIoEventLoopGroup(0, new io.netty.util.concurrent.DefaultThreadFactory("glaux-flight-io-" + options.nodeId(), true),
                io.netty.channel.nio.NioIoHandler.newFactory());
        FlightServer flightServer = null;
        try {
            // clients must present a certificate of the cluster CA that is not revoked: Flight's own
            // mutual TLS (useMTlsClientVerification) checks the chain only, so its SSL context is replaced;
            // the server presents the certificate keys holds at each handshake
            io.netty.handler.ssl.SslContext serverSsl = serverSslContext(keys, revocations);
            Consumer<NettyServerBuilder> grpcOptions = builder -> builder
                    .channelFactory(connections.channelFactory())
                    .bossEventLoopGroup(bossGroup)
                    .workerEventLoopGroup(ioGroup)
                    .sslContext(serverSsl)
                    .intercept(connections.refusingRevoked(revocations))
                    .permitKeepAliveTime(WorkerClient.MIN_PERMITTED_KEEPALIVE_TIME.toNanos(), TimeUnit.NANOSECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .keepAliveTime(KEEPALIVE_TIME.toNanos(), TimeUnit.NANOSECONDS)
                    .keepAliveTimeout(KEEPALIVE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            flightServer = FlightServer.builder(allocator, Location.forGrpcTls(options.bindHost(), options.port()), new Producer())
                    .useTls(tls.certificateChain().toFile(), tls.privateKey().toFile())
                    .useMTlsClientVerification(tls.caCertificate().toFile())
                    .transportHint("grpc.builderConsumer", grpcOptions)
                    .executor(flightExecutor)
                    .build()
                    .start();
        }
        catch (IOException | RuntimeException e) {
            shutdownPools();
            shutdownEventLoops();
            allocator.close();
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR,
                    "Worker " + options.nodeId() + " cannot listen on " + options.bindHost() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        this.server = flightServer;
        // a revocation cuts off the revoked node's connections in both directions at once
        revocations.onChange(this::dropRevokedPeers);
        this.flightUri = URI.create(WorkerClient.SCHEME + "://" + uriHost(options.advertisedHost()) + ":" + server.getPort());
        log.info("Worker {} listening on {}", options.nodeId(), flightUri);
    }

    public String nodeId()
    {
        return options.nodeId();
    }

    /**
     * The worker's spill space: {@code spill.max-size}, or 90% of the free space of {@code spill.path}'s
     * file system now. The folder is created here; spill folders of queries a previous process of this
     * worker left behind (it was killed mid-query) are deleted.
     */
    private static SpillSpace nodeSpillSpace(SpillConfig spill)
    {
        if (spill.path().isEmpty()) {
            return SpillSpace.unlimited();
        }
        Path root = spill.path().get();
        try {
            Files.createDirectories(root);
            try (var entries = Files.list(root)) {
                // only folders named as query ids: spill.path may be a folder others use too
                entries.filter(path -> Files.isDirectory(path) && QueryMemories.isQueryFolder(path.getFileName().toString()))
                        .forEach(QueryMemories::deleteTree);
            }
            long limit = spill.maxBytes().isPresent() ? spill.maxBytes().getAsLong() : Math.max(1, Files.getFileStore(root).getUsableSpace() / 10 * 9);
            return SpillSpace.node(SpillConfig.SPILL_MAX_SIZE, limit);
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Cannot use the spill folder " + root + " (" + SpillConfig.SPILL_PATH + "): " + e.getMessage(), e);
        }
    }

    /** Bytes the queries running here have written to spill files (0 once they ended and their files are gone). */
    public long spillBytesInUse()
    {
        return queryMemory.spilledBytes();
    }

    /** Tasks of hash-partitioned stages this worker has started since it started. */
    public long stageTasksStarted()
    {
        return counters.stageTasksStarted.get();
    }

    /** Bytes all hash-stage tasks on this worker have spilled since it started. */
    public long spilledBytes()
    {
        return counters.spilledBytes.get();
    }

    /** {@code grpc+tls://advertisedHost:port}, with the real port when started on port 0. */
    public URI flightUri()
    {
        return flightUri;
    }

    public int port()
    {
        return server.getPort();
    }

    /**
     * Holds this worker's answers to {@code task-bytes} (the bytes of a task whose stream a coordinator
     * cancelled) until the returned handle is closed; each answer still comes within
     * {@link WorkerClient#TASK_BYTES_WAIT}, as for a task slow to stop. Proves that a coordinator answers
     * its client without waiting for them.
     */
    public AutoCloseable holdTaskBytesAnswers()
    {
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        taskBytesHold = hold;
        return () -> {
            taskBytesHold = null;
            hold.countDown();
        };
    }

    /** Tasks running now. */
    public int runningTasks()
    {
        return running.size();
    }

    /** Arrow memory this worker's tasks hold now. */
    public long allocatedMemory()
    {
        return allocator.getAllocatedMemory();
    }

    /** The most Arrow memory this worker's tasks held at once. */
    public long peakMemory()
    {
        return allocator.getPeakMemoryAllocation();
    }

    /**
     * Waits until no task runs or {@code timeout} passed; returns whether none runs. New tasks are
     * still accepted meanwhile (a coordinator that has not yet seen the worker withdraw may send one).
     */
    public boolean awaitIdle(Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (running) {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                running.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
            }
        }
        return true;
    }

    /**
     * Stops accepting calls and waits up to {@code timeout} for the calls in progress to end: a task that
     * has produced its last batch may still be sending buffered batches to a slow reader. Returns whether
     * they all ended.
     */
    public boolean awaitCallsEnded(Duration timeout)
            throws InterruptedException
    {
        server.shutdown();
        return server.awaitTermination(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    public WorkerStats stats()
    {
        return counters.snapshot(options.nodeId());
    }

    /** Bytes the queries running on this worker hold now (0 when none runs). */
    public long reservedQueryMemory()
    {
        return queryMemory.reservedBytes();
    }

    /**
     * Stops accepting tasks, ends running tasks with UNAVAILABLE "Worker &lt;id&gt; is shutting down"
     * (callers see WORKER_FAILED), stops the server and releases its memory.
     */
    @Override
    public void close()
    {
        if (closing) {
            return;
        }
        closing = true;
        for (TaskExecution task : running) {
            task.abortForShutdown();
        }
        for (StageTaskExecution task : runningStageTasks) {
            task.abort("Worker " + options.nodeId() + " is shutting down");
        }
        exchangeBuffers.abortAll("Worker " + options.nodeId() + " is shutting down");
        try {
            server.close();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdownPools();
        shutdownEventLoops();
        peers.values().forEach(WorkerClient::close);
        peers.clear();
        try {
            allocator.close();
        }
        catch (IllegalStateException e) {
            log.error("Worker {} leaked memory: {}", options.nodeId(), e.getMessage());
        }
        log.info("Worker {} stopped", options.nodeId());
    }

    private void shutdownEventLoops()
    {
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    /**
     * Closes the connections a node revoked just now has open to this worker (its calls fail at once),
     * and cuts off this worker's clients to it (exchanges from it fail with WORKER_FAILED naming the
     * revocation; a new client to it fails the handshake).
     */
    private void dropRevokedPeers()
    {
        int closed = connections.closeRevoked(revocations);
        int cut = 0;
        for (Map.Entry<URI, WorkerClient> peer : peers.entrySet()) {
            WorkerClient client = peer.getValue();
            java.util.Optional<String> reason = revokedNode(client);
            if (reason.isPresent() && peers.remove(peer.getKey(), client)) {
                client.revoke(reason.get());
                cut++;
            }
        }
        if (closed > 0 || cut > 0) {
            log.warn("Worker {}: closed {} connection(s) from and {} client(s) to revoked nodes", options.nodeId(), closed, cut);
        }
    }

    private java.util.Optional<String> revokedNode(WorkerClient client)
    {
        java.util.Optional<String> byCertificate = client.peerCertificate().flatMap(revocations::revocation);
        if (byCertificate.isPresent()) {
            return byCertificate;
        }
        java.time.Instant revokedAt = revocations.snapshot().nodes().get(client.workerId());
        return revokedAt == null ? java.util.Optional.empty() : java.util.Optional.of("node " + client.workerId() + " was revoked at " + revokedAt);
    }

    /** Connections other nodes have open to this worker's Flight server now. */
    public int openConnections()
    {
        return connections.size();
    }

    /** The certificate this worker presents from its next handshake on. */
    public NodeKeys keys()
    {
        return keys;
    }

    private void shutdownPools()
    {
        reaper.shutdownNow();
        taskThreads.shutdown();
        driverPool.shutdown();
        flightExecutor.shutdown();
        try {
            if (!taskThreads.awaitTermination(10, TimeUnit.SECONDS)) {
                taskThreads.shutdownNow();
                log.warn("Worker {}: tasks still running after 10 s", options.nodeId());
            }
            if (!driverPool.awaitTermination(5, TimeUnit.SECONDS)) {
                driverPool.shutdownNow();
            }
            if (!flightExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                flightExecutor.shutdownNow();
            }
        }
        catch (InterruptedException e) {
            taskThreads.shutdownNow();
            driverPool.shutdownNow();
            flightExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Workers (this one included) this worker has opened exchange connections to. */
    public int exchangePeers()
    {
        return peers.size();
    }

    /** Output buffers of stages alive on this worker now. */
    public int outputBuffers()
    {
        return exchangeBuffers.size();
    }

    /** The revoked node certificates this worker refuses (as a server and as a client of other workers). */
    public RevocationList revocations()
    {
        return revocations;
    }

    private static io.netty.handler.ssl.SslContext serverSslContext(NodeKeys keys, RevocationList revocations)
            throws IOException
    {
        // the cluster's CAs as of each handshake: a renewal during a CA rotation brings the new bundle
        return io.grpc.netty.GrpcSslContexts.configure(io.netty.handler.ssl.SslContextBuilder.forServer(keys))
                .trustManager(revocations.checking(keys.trustManager()))
                .clientAuth(io.netty.handler.ssl.ClientAuth.REQUIRE)
                .build();
    }

    private WorkerClient peer(ExchangeTickets.Location location)
    {
        if (closing) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Worker " + options.nodeId() + " is shutting down");
        }
        return peers.computeIfAbsent(location.flightUri(), uri -> new WorkerClient(uri, keys, allocator, location.nodeId(), revocations));
    }

    private void taskEnded(TaskExecution execution)
    {
        synchronized (running) {
            running.remove(execution);
            running.notifyAll();
        }
    }

    private static String uriHost(String host)
    {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static ThreadFactory daemonThreads(String prefix)
    {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    private final class Producer
            extends NoOpFlightProducer
    {
        private final ObjectMapper json = new ObjectMapper();

        @Override
        public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener)
        {
            if (closing) {
                listener.error(CallStatus.UNAVAILABLE.withDescription("Worker " + options.nodeId() + " is shutting down").toRuntimeException());
                return;
            }
            Object decoded;
            try {
                decoded = ExchangeTickets.decode(ticket.getBytes());
            }
            catch (GlauxException e) {
                listener.error(RemoteErrors.toCallStatus(e).toRuntimeException());
                return;
            }
            catch (RuntimeException e) {
                log.error("Worker {} cannot decode a task ticket", options.nodeId(), e);
                listener.error(RemoteErrors.toCallStatus(new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR,
                        "Worker " + options.nodeId() + " cannot decode the task: " + e.getClass().getSimpleName() + ": " + e.getMessage())).toRuntimeException());
                return;
            }
            switch (decoded) {
                case ExchangeTickets.Fetch fetch -> {
                    FetchExecution execution = new FetchExecution(options.nodeId(), fetch, listener, exchangeBuffers, allocator, counters);
                    runOnTaskThread(execution::run, listener, () -> {});
                    return;
                }
                case ExchangeTickets.StageTask stageTask -> {
                    QueryMemoryContext memory = queryMemory.acquire(stageTask.queryId(), stageTask.maxMemoryBytes());
                    QueryMemories.Spill spill;
                    try {
                        spill = queryMemory.spill(stageTask.queryId());
                    }
                    catch (GlauxException e) {
                        queryMemory.release(stageTask.queryId());
                        listener.error(RemoteErrors.toCallStatus(e).toRuntimeException());
                        return;
                    }
                    StageTaskExecution execution = new StageTaskExecution(options.nodeId(), stageTask, listener, memory, spill, WorkerServer.this::peer, counters, allocator);
                    runningStageTasks.add(execution);
                    Runnable ended = () -> {
                        runningStageTasks.remove(execution);
                        queryMemory.release(stageTask.queryId());
                    };
                    runOnTaskThread(() -> {
                        try {
                            execution.run();
                        }
                        finally {
                            ended.run();
                        }
                    }, listener, ended);
                    if (closing) {
                        execution.abort("Worker " + options.nodeId() + " is shutting down");
                    }
                    return;
                }
                case Task scanTask -> runTask(scanTask, listener);
                default -> listener.error(CallStatus.INTERNAL.withDescription("Unknown ticket").toRuntimeException());
            }
        }

        private void runOnTaskThread(Runnable work, ServerStreamListener listener, Runnable rejected)
        {
            try {
                taskThreads.execute(work);
            }
            catch (RejectedExecutionException e) {
                rejected.run();
                listener.error(CallStatus.UNAVAILABLE.withDescription("Worker " + options.nodeId() + " is shutting down").toRuntimeException());
            }
        }

        private void runTask(Task task, ServerStreamListener listener)
        {
            // run on a task thread and return: gRPC delivers this call's cancel and ready events only
            // after getStream returns
            QueryMemoryContext memory = queryMemory.acquire(task.queryId(), task.maxMemoryBytes());
            QueryMemories.Spill spill;
            try {
                // a pipeline's hash join or aggregation spills here (scans without one never create the folder)
                spill = task.pipeline().isPresent() ? queryMemory.spill(task.queryId()) : new QueryMemories.Spill(java.util.Optional.empty(), SpillSpace.unlimited());
            }
            catch (GlauxException e) {
                queryMemory.release(task.queryId());
                listener.error(RemoteErrors.toCallStatus(e).toRuntimeException());
                return;
            }
            TaskExecution execution = new TaskExecution(
                    options.nodeId(), task, listener, pageSources, memory, spill, queryMemory.tasks(task.queryId()), driverPool, options.taskConcurrency(), counters,
                    exchangeBuffers,
                    done -> {
                        endedTasks.ended(task.queryId(), task.taskId(), done.objectStoreBytes());
                        taskEnded(done);
                        queryMemory.release(task.queryId());
                    });
            running.add(execution);
            try {
                taskThreads.execute(execution::run);
            }
            catch (RejectedExecutionException e) {
                running.remove(execution);
                queryMemory.release(task.queryId());
                listener.error(CallStatus.UNAVAILABLE.withDescription("Worker " + options.nodeId() + " is shutting down").toRuntimeException());
            }
            if (closing) {
                execution.abortForShutdown();
            }
        }

        @Override
        public void doAction(CallContext context, Action action, StreamListener<Result> listener)
        {
            switch (action.getType()) {
                case WorkerClient.PING_ACTION -> {
                    listener.onNext(new Result(WorkerClient.PING_OK.getBytes(UTF_8)));
                    listener.onCompleted();
                }
                case ExchangeTickets.NO_MORE_INPUT_ACTION -> {
                    try {
                        Object decoded = ExchangeTickets.decode(action.getBody());
                        if (!(decoded instanceof ExchangeTickets.Fetch stage)) {
                            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "no-more-input needs a stage");
                        }
                        exchangeBuffers.get(stage.queryId(), stage.stageId(), stage.partitionCount(), stage.types()).setNoMoreInput();
                        listener.onCompleted();
                    }
                    catch (GlauxException e) {
                        listener.onError(RemoteErrors.toCallStatus(e).toRuntimeException());
                    }
                }
                case ExchangeTickets.ABORT_STAGE_ACTION -> {
                    try {
                        ExchangeTickets.StageRef stage = ExchangeTickets.decodeStage(action.getBody());
                        exchangeBuffers.abortStage(stage.queryId(), stage.stageId(), "Stage " + stage.stageId() + " of query " + stage.queryId() + " ended");
                        listener.onCompleted();
                    }
                    catch (GlauxException e) {
                        listener.onError(RemoteErrors.toCallStatus(e).toRuntimeException());
                    }
                }
                case WorkerClient.TASK_BYTES_ACTION -> {
                    // the total of a task whose stream its reader cancelled: waits for it to end
                    try {
                        long start = System.nanoTime();
                        java.util.concurrent.CountDownLatch hold = taskBytesHold;
                        if (hold != null) {
                            hold.await(WorkerClient.TASK_BYTES_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                        }
                        Duration left = WorkerClient.TASK_BYTES_WAIT.minusNanos(System.nanoTime() - start);
                        java.util.OptionalLong bytes = endedTasks.await(new String(action.getBody(), UTF_8), left.isNegative() ? Duration.ZERO : left);
                        if (bytes.isPresent()) {
                            listener.onNext(new Result(Long.toString(bytes.getAsLong()).getBytes(UTF_8)));
                            listener.onCompleted();
                        }
                        else {
                            listener.onError(CallStatus.NOT_FOUND.withDescription("No ended task " + new String(action.getBody(), UTF_8)).toRuntimeException());
                        }
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        listener.onError(CallStatus.CANCELLED.withDescription("interrupted").toRuntimeException());
                    }
                }
                case STATS_ACTION -> {
                    try {
                        listener.onNext(new Result(json.writeValueAsBytes(stats())));
                        listener.onCompleted();
                    }
                    catch (JsonProcessingException e) {
                        listener.onError(CallStatus.INTERNAL.withDescription("cannot encode stats: " + e.getMessage()).toRuntimeException());
                    }
                }
                default -> listener.onError(CallStatus.UNIMPLEMENTED.withDescription("Unknown action: " + action.getType()).toRuntimeException());
            }
        }

        @Override
        public void listActions(CallContext context, StreamListener<ActionType> listener)
        {
            listener.onNext(new ActionType(WorkerClient.PING_ACTION, "returns ok"));
            listener.onNext(new ActionType(STATS_ACTION, "the worker's counters as JSON"));
            listener.onCompleted();
        }
    }
}
