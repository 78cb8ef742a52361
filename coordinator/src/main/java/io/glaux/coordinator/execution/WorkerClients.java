package io.glaux.coordinator.execution;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.node.NodeManager.WorkerNode;
import io.glaux.engine.exchange.RevocationList;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.engine.exchange.WorkerClient;
import org.apache.arrow.memory.BufferAllocator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One Flight client (one mTLS channel) per worker, shared by all queries. */
public final class WorkerClients
        implements AutoCloseable
{
    private final TlsMaterial tls;
    private final BufferAllocator allocator;
    private final Map<WorkerNode, WorkerClient> clients = new ConcurrentHashMap<>();

    private final RevocationList revocations;

    /** @param revocations the revoked node certificates: a worker presenting one fails the handshake */
    public WorkerClients(TlsMaterial tls, BufferAllocator allocator, RevocationList revocations)
    {
        this.tls = requireNonNull(tls, "tls is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.revocations = requireNonNull(revocations, "revocations is null");
    }

    public WorkerClient get(WorkerNode node)
    {
        return clients.computeIfAbsent(node, key -> new WorkerClient(key.flightUri(), tls, allocator, key.nodeId(), revocations));
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

    /** Drops the channels to the worker {@code nodeId} (it was revoked: new handshakes with it fail). */
    public void invalidate(String nodeId)
    {
        for (WorkerNode node : java.util.List.copyOf(clients.keySet())) {
            if (node.nodeId().equals(nodeId)) {
                invalidate(node);
            }
        }
    }

    @Override
    public void close()
    {
        clients.values().forEach(WorkerClient::close);
        clients.clear();
    }
}
