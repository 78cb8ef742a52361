package io.glaux.coordinator.execution;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.node.NodeManager.WorkerNode;
import io.glaux.engine.exchange.RevocationList;
import io.glaux.engine.exchange.NodeKeys;
import io.glaux.engine.exchange.WorkerClient;
import org.apache.arrow.memory.BufferAllocator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One Flight client (one mTLS channel) per worker, shared by all queries. */
public final class WorkerClients
        implements AutoCloseable
{
    private final NodeKeys keys;
    private final BufferAllocator allocator;
    private final Map<WorkerNode, WorkerClient> clients = new ConcurrentHashMap<>();

    private final RevocationList revocations;

    /** @param revocations the revoked node certificates: a worker presenting one fails the handshake */
    public WorkerClients(NodeKeys keys, BufferAllocator allocator, RevocationList revocations)
    {
        this.keys = requireNonNull(keys, "keys is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.revocations = requireNonNull(revocations, "revocations is null");
    }

    public WorkerClient get(WorkerNode node)
    {
        return clients.computeIfAbsent(node, key -> new WorkerClient(key.flightUri(), keys, allocator, key.nodeId(), revocations));
    }

    /**
     * Drops the channel to a failed worker, so a restarted worker gets a fresh one; the old one closes
     * once the streams still open on it (other tasks, other queries) are closed.
     */
    public void invalidate(WorkerNode node)
    {
        WorkerClient client = clients.remove(node);
        if (client != null) {
            client.retire();
        }
    }

    /**
     * Cuts off the channels to workers the revocation list now revokes (by node id, or by the serial of
     * the certificate the worker presented): their calls in flight fail at once with WORKER_FAILED naming
     * the revocation, and a new channel to them fails the handshake. Returns how many were cut off.
     */
    public int dropRevoked()
    {
        int dropped = 0;
        for (Map.Entry<WorkerNode, WorkerClient> entry : clients.entrySet()) {
            WorkerClient client = entry.getValue();
            java.util.Optional<String> reason = client.peerCertificate().flatMap(revocations::revocation);
            if (reason.isEmpty()) {
                java.time.Instant revokedAt = revocations.snapshot().nodes().get(client.workerId());
                reason = revokedAt == null ? java.util.Optional.empty() : java.util.Optional.of("node " + client.workerId() + " was revoked at " + revokedAt);
            }
            if (reason.isPresent() && clients.remove(entry.getKey(), client)) {
                client.revoke(reason.get());
                dropped++;
            }
        }
        return dropped;
    }

    @Override
    public void close()
    {
        clients.values().forEach(WorkerClient::close);
        clients.clear();
    }
}
