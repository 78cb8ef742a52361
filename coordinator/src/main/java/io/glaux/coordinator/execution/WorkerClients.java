package io.glaux.coordinator.execution;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.node.NodeManager.WorkerNode;
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

    public WorkerClients(TlsMaterial tls, BufferAllocator allocator)
    {
        this.tls = requireNonNull(tls, "tls is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
    }

    public WorkerClient get(WorkerNode node)
    {
        return clients.computeIfAbsent(node, key -> new WorkerClient(key.flightUri(), tls, allocator, key.nodeId()));
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

    @Override
    public void close()
    {
        clients.values().forEach(WorkerClient::close);
        clients.clear();
    }
}
