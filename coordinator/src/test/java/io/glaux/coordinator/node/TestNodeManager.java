package io.glaux.coordinator.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

/** What workers announce: their threads decide how many tasks of a hash stage each runs. */
class TestNodeManager
{
    @Test
    void aWorkerIsAsParallelAsItAnnounced()
    {
        NodeManager nodes = new NodeManager(Duration.ofMinutes(1));
        nodes.announce("w1", URI.create("grpc+tls://w1:8815"), 6);
        nodes.announce("w2", URI.create("grpc+tls://w2:8815"));
        NodeManager.WorkerNode w1 = new NodeManager.WorkerNode("w1", URI.create("grpc+tls://w1:8815"));
        NodeManager.WorkerNode w2 = new NodeManager.WorkerNode("w2", URI.create("grpc+tls://w2:8815"));
        assertThat(nodes.activeWorkers()).containsExactlyInAnyOrder(w1, w2);
        assertThat(nodes.processors(w1)).isEqualTo(6);
        // a worker that does not say runs one task at a time
        assertThat(nodes.processors(w2)).isEqualTo(1);
        // a restarted worker says again
        nodes.announce("w1", URI.create("grpc+tls://w1:8815"), 2);
        assertThat(nodes.processors(w1)).isEqualTo(2);
        // one that left, or is now another process elsewhere, is not this node
        nodes.announce("w1", URI.create("grpc+tls://w1b:8815"), 4);
        assertThat(nodes.processors(w1)).isEqualTo(1);
        nodes.remove("w2");
        assertThat(nodes.processors(w2)).isEqualTo(1);
    }
}
