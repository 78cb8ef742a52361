package io.glaux.coordinator.node;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workers the coordinator knows. Workers announce themselves every few seconds; a worker is
 * active while its last announcement is recent and no query has seen it fail since. A failed worker
 * comes back when it announces again after the failure (a restarted process).
 */
public final class NodeManager
{
    public record WorkerNode(String nodeId, URI flightUri) {}

    private record State(WorkerNode node, long lastAnnouncementMillis, long failedAtMillis, int processors) {}

    private final Map<String, State> nodes = new ConcurrentHashMap<>();
    private final Duration expiry;
    private final Clock clock;

    public NodeManager(Duration expiry)
    {
        this(expiry, Clock.systemUTC());
    }

    NodeManager(Duration expiry, Clock clock)
    {
        this.expiry = requireNonNull(expiry, "expiry is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public void announce(String nodeId, URI flightUri)
    {
        announce(nodeId, flightUri, 1);
    }

    /** @param processors how many threads the worker runs tasks on ({@code task.concurrency}) */
    public void announce(String nodeId, URI flightUri, int processors)
    {
        long now = clock.millis();
        int parallelism = Math.max(1, processors);
        nodes.compute(nodeId, (id, old) -> {
            WorkerNode node = new WorkerNode(nodeId, flightUri);
            if (old == null || !old.node().equals(node)) {
                return new State(node, now, 0, parallelism);
            }
            // a failed worker stays out until it has announced again well after the failure
            long failedAt = old.failedAtMillis() != 0 && now - old.failedAtMillis() > 3_000 ? 0 : old.failedAtMillis();
            return new State(node, now, failedAt, parallelism);
        });
    }

    /** How many threads {@code node} runs tasks on, as it announced (1 if it did not say or is gone). */
    public int processors(WorkerNode node)
    {
        State state = nodes.get(node.nodeId());
        return state == null || !state.node().equals(node) ? 1 : state.processors();
    }

    /** A worker that is shutting down: not scheduled from now on (it comes back if it announces again). */
    public void remove(String nodeId)
    {
        nodes.remove(nodeId);
    }

    /** Whether {@code node} withdrew (or announced from elsewhere since): it is not the node this id names now. */
    public boolean hasWithdrawn(WorkerNode node)
    {
        State state = nodes.get(node.nodeId());
        return state == null || !state.node().equals(node);
    }

    public void markFailed(String nodeId)
    {
        nodes.computeIfPresent(nodeId, (id, old) -> new State(old.node(), old.lastAnnouncementMillis(), clock.millis(), old.processors()));
    }

    public List<WorkerNode> activeWorkers()
    {
        long now = clock.millis();
        List<WorkerNode> active = new ArrayList<>();
        for (State state : nodes.values()) {
            if (state.failedAtMillis() == 0 && now - state.lastAnnouncementMillis() <= expiry.toMillis()) {
                active.add(state.node());
            }
        }
        active.sort(Comparator.comparing(WorkerNode::nodeId));
        return active;
    }

    /** The ids of the workers that announced within the expiry, failed or not. */
    public List<String> liveWorkerIds()
    {
        long now = clock.millis();
        return nodes.values().stream()
                .filter(state -> now - state.lastAnnouncementMillis() <= expiry.toMillis())
                .map(state -> state.node().nodeId())
                .sorted()
                .toList();
    }

    public List<WorkerNode> allWorkers()
    {
        return nodes.values().stream().map(State::node).sorted(Comparator.comparing(WorkerNode::nodeId)).toList();
    }
}
