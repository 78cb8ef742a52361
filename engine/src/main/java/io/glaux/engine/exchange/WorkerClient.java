package io.glaux.engine.exchange;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.glaux.engine.fragment.Task;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightGrpcUtils;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;

import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Flight client to one worker over mutual TLS: it trusts only the cluster CA, only for a certificate
 * that names the worker's node id ({@link NodeIdentityTrustManager}), and presents this node's
 * certificate ({@link TlsMaterial}).
 *
 * <p>Failure detection: a worker that dies closes its sockets, so the open streams fail at once; a
 * refused or unreachable connection fails within {@link #CONNECT_TIMEOUT}; a hung peer (process
 * stopped, network black hole) misses HTTP/2 keepalive pings, sent every {@link #KEEPALIVE_TIME}
 * while a call is open (gRPC's minimum) and answered within {@link #KEEPALIVE_TIMEOUT}. All of these
 * surface as {@link ErrorCode#WORKER_FAILED} "Worker &lt;id&gt; at &lt;uri&gt; failed: &lt;reason&gt;".
 *
 * <p>Thread-safe; one client (one HTTP/2 connection) per worker is enough for many concurrent tasks.
 * Close every {@link RemoteTaskStream} before the client.
 */
public final class WorkerClient
        implements AutoCloseable
{
    public static final String SCHEME = "grpc+tls";
    public static final String PING_ACTION = "ping";
    public static final String PING_OK = "ok";
    public static final Duration KEEPALIVE_TIME = Duration.ofSeconds(10);
    public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(5);
    /** Servers must allow client pings at least this often (gRPC servers refuse pings more frequent than 5 minutes by default). */
    public static final Duration MIN_PERMITTED_KEEPALIVE_TIME = Duration.ofSeconds(5);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** {@code DoAction} answering the object store bytes a task fetched in all, once it ended (body: {@code queryId/taskId}). */
    public static final String TASK_BYTES_ACTION = "task-bytes";
    /** How long a worker waits for a cancelled task to end before answering {@link #TASK_BYTES_ACTION}. */
    public static final Duration TASK_BYTES_WAIT = Duration.ofSeconds(2);

    private final URI flightUri;
    private final String workerId;
    private final BufferAllocator allocator;
    private final FlightClient client;
    private final ManagedChannel channel;
    private final NodeIdentityTrustManager trust;
    /** Why this client was cut off (its worker was revoked), or null. */
    private volatile String revokedReason;
    /** Streams started and not yet closed. */
    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retired;

    /**
     * @param flightUri {@code grpc+tls://host:port} of the worker's Flight server
     * @param allocator the parent of the allocator received batches are allocated from
     */
    public WorkerClient(URI flightUri, TlsMaterial tls, BufferAllocator allocator, String workerId)
    {
        this(flightUri, tls, allocator, workerId, new RevocationList());
    }

    /**
     * @param revocations the cluster's revoked node certificates: a worker presenting one fails the handshake
     */
    public WorkerClient(URI flightUri, TlsMaterial tls, BufferAllocator allocator, String workerId, RevocationList revocations)
    {
        this(flightUri, NodeKeys.of(requireNonNull(tls, "tls is null")), allocator, workerId, revocations);
    }

    /**
     * @param keys this node's certificate; a renewed one is presented from the next handshake on
     * @param revocations the cluster's revoked node certificates: a worker presenting one fails the handshake
     */
    public WorkerClient(URI flightUri, NodeKeys keys, BufferAllocator allocator, String workerId, RevocationList revocations)
    {
        this.flightUri = requireNonNull(flightUri, "flightUri is null");
        requireNonNull(keys, "keys is null");
        requireNonNull(allocator, "allocator is null");
        this.workerId = requireNonNull(workerId, "workerId is null");
        if (!SCHEME.equals(flightUri.getScheme()) || flightUri.getHost() == null || flightUri.getPort() <= 0) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Worker " + workerId + " has an invalid Flight URI (expected grpc+tls://host:port): " + flightUri);
        }
        // the cluster's CAs as of each handshake (a CA rotation changes them)
        this.trust = NodeIdentityTrustManager.forNode(keys.trustManager(), workerId, requireNonNull(revocations, "revocations is null"));
        this.channel = channel(flightUri, keys, trust, workerId);
        this.allocator = allocator.newChildAllocator("worker-client-" + workerId, 0, Long.MAX_VALUE);
        this.client = FlightGrpcUtils.createFlightClient(this.allocator, channel);
    }

    private static ManagedChannel channel(URI flightUri, NodeKeys keys, NodeIdentityTrustManager trust, String workerId)
    {
        ChannelCredentials credentials;
        try {
            // the cluster CA, and a certificate that names the node the worker announced itself as; this
            // node's certificate as of each handshake (a renewal needs no new channel)
            credentials = TlsChannelCredentials.newBuilder()
                    .trustManager(trust)
                    .keyManager(keys)
                    .build();
        }
        catch (RuntimeException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot set up TLS to worker " + workerId + " with " + keys + ": " + e.getMessage(), e);
        }
        // without an explicit connect timeout an unreachable host takes Netty's 30 s to fail
        return NettyChannelBuilder.forAddress(flightUri.getHost(), flightUri.getPort(), credentials)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .maxInboundMessageSize(Integer.MAX_VALUE)
                .maxInboundMetadataSize(1 << 20)
                .keepAliveTime(KEEPALIVE_TIME.toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveWithoutCalls(false)
                .maxTraceEvents(0)
                .build();
    }

    public String workerId()
    {
        return workerId;
    }

    public URI flightUri()
    {
        return flightUri;
    }

    /**
     * Starts {@code task} on the worker and returns its output stream. The call returns at once;
     * failures to reach the worker surface from the stream's first {@link RemoteTaskStream#schema()}
     * or {@link RemoteTaskStream#next()}.
     */
    public RemoteTaskStream execute(Task task)
    {
        requireNonNull(task, "task is null");
        return execute(TaskTickets.label(task), TaskTickets.encode(task));
    }

    /** Starts the task encoded in {@code ticket} (see {@link TaskTickets}). */
    public RemoteTaskStream execute(String taskLabel, byte[] ticket)
    {
        requireNonNull(taskLabel, "taskLabel is null");
        requireNonNull(ticket, "ticket is null");
        openStreams.incrementAndGet();
        try {
            FlightStream stream = client.getStream(new Ticket(ticket));
            return new RemoteTaskStream(stream, workerId, flightUri, taskLabel, this::streamClosed, () -> revokedReason);
        }
        catch (FlightRuntimeException e) {
            streamClosed();
            throw RemoteErrors.fromFlight(e, workerId, flightUri);
        }
        catch (RuntimeException | Error e) {
            streamClosed();
            throw e;
        }
    }

    /**
     * Runs the action {@code type} with {@code body} on the worker and waits for it to end (at most
     * {@code timeout}); failures are {@link GlauxException}s (WORKER_FAILED when the worker cannot be reached).
     */
    public void doAction(String type, byte[] body, Duration timeout)
    {
        requireNonNull(type, "type is null");
        requireNonNull(body, "body is null");
        try {
            Iterator<Result> results = client.doAction(new Action(type, body), CallOptions.timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS));
            while (results.hasNext()) {
                results.next();
            }
        }
        catch (FlightRuntimeException e) {
            String revoked = revokedReason;
            throw revoked != null ? RemoteErrors.workerFailed(workerId, flightUri, revoked, e) : RemoteErrors.fromFlight(e, workerId, flightUri);
        }
    }

    /**
     * The object store bytes the task {@code taskId} of {@code queryId} fetched in all, once it ended on
     * the worker: for a reader that cancelled the task's stream before its end (and its last progress
     * report). Empty when the worker does not answer in time (the task did not end, the worker is gone).
     */
    public java.util.OptionalLong taskObjectStoreBytes(String queryId, int taskId)
    {
        requireNonNull(queryId, "queryId is null");
        try {
            Iterator<Result> results = client.doAction(new Action(TASK_BYTES_ACTION, (queryId + "/" + taskId).getBytes(UTF_8)),
                    CallOptions.timeout(TASK_BYTES_WAIT.toMillis() + 1_000, TimeUnit.MILLISECONDS));
            java.util.OptionalLong bytes = java.util.OptionalLong.empty();
            while (results.hasNext()) {
                bytes = java.util.OptionalLong.of(Long.parseLong(new String(results.next().getBody(), UTF_8).strip()));
            }
            return bytes;
        }
        catch (FlightRuntimeException | NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** Whether the worker answers a ping within {@code timeout}. */
    public boolean ping(Duration timeout)
    {
        requireNonNull(timeout, "timeout is null");
        try {
            Iterator<Result> results = client.doAction(new Action(PING_ACTION), CallOptions.timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS));
            boolean ok = false;
            while (results.hasNext()) {
                ok |= PING_OK.equals(new String(results.next().getBody(), UTF_8));
            }
            return ok;
        }
        catch (FlightRuntimeException e) {
            return false;
        }
    }

    /**
     * Stops using this client (its worker failed): it closes now if no stream is open, else when the
     * last one closes, so that streams of other queries still draining keep their buffers until then.
     */
    public void retire()
    {
        retired = true;
        if (openStreams.get() == 0) {
            close();
        }
    }

    /**
     * Cuts this client off now because its worker was revoked: every call in flight fails at once with
     * {@link ErrorCode#WORKER_FAILED} naming {@code reason}, and so does every later one; the client
     * closes when its last stream is closed.
     */
    public void revoke(String reason)
    {
        requireNonNull(reason, "reason is null");
        revokedReason = "its certificate is revoked (" + reason + ")";
        channel.shutdownNow();
        retire();
    }

    /** Whether {@link #revoke} cut this client off. */
    public boolean isRevoked()
    {
        return revokedReason != null;
    }

    /** The certificate the worker presented when this client last connected to it, if it did. */
    public java.util.Optional<java.security.cert.X509Certificate> peerCertificate()
    {
        return trust.peerCertificate();
    }

    private void streamClosed()
    {
        if (openStreams.decrementAndGet() == 0 && retired) {
            close();
        }
    }

    /** Closes the channel and its allocator now (node shutdown: every stream has been closed before). */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            client.close();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            allocator.close();
        }
    }

    @Override
    public String toString()
    {
        return "WorkerClient{" + workerId + " at " + flightUri + "}";
    }
}
