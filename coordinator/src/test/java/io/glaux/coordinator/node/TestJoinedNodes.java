package io.glaux.coordinator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

class TestJoinedNodes
{
    private static final String KEY_A = "sha256:" + "a".repeat(43);
    private static final String KEY_B = "sha256:" + "b".repeat(43);

    @Test
    void aJoinedNodeIdCannotBeTakenOverWithAnotherKey(@TempDir Path dir)
    {
        JoinedNodes joined = JoinedNodes.open(dir);
        joined.admit("worker-1", KEY_A, List.of("10.0.0.1"), List.of());
        joined.record("worker-1", new JoinedNodes.Joined(KEY_A, List.of("10.0.0.1"), "1f"));

        // the same key renews
        joined.admit("worker-1", KEY_A, List.of("10.0.0.2"), List.of("worker-1"));
        // another key is refused, also after a restart (the record is in the file)
        for (JoinedNodes nodes : List.of(joined, JoinedNodes.open(dir))) {
            assertThatThrownBy(() -> nodes.admit("worker-1", KEY_B, List.of(), List.of()))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED))
                    .hasMessageContaining("node worker-1 has already joined with another key");
        }
        assertThat(JoinedNodes.open(dir).get("worker-1")).contains(new JoinedNodes.Joined(KEY_A, List.of("10.0.0.1"), "1f"));

        // once forgotten (revoked), the id may join again with a new key
        assertThat(joined.remove("worker-1")).isPresent();
        JoinedNodes.open(dir).admit("worker-1", KEY_B, List.of(), List.of());
    }

    @Test
    void aRunningWorkerThatDidNotJoinHereCannotBeTakenOver()
    {
        JoinedNodes joined = JoinedNodes.inMemory();
        // worker-7 runs with a certificate from files: nobody may join as worker-7 while it announces
        assertThatThrownBy(() -> joined.admit("worker-7", KEY_A, List.of(), List.of("worker-7")))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED))
                .hasMessageContaining("a worker with the id worker-7 is running");
        joined.admit("worker-8", KEY_A, List.of(), List.of("worker-7"));
    }

    @Test
    void hostNamesNeverNameAnotherNode()
    {
        JoinedNodes joined = JoinedNodes.inMemory();
        joined.record("worker-1", new JoinedNodes.Joined(KEY_A, List.of("worker-1", "host-1.example"), "1"));
        // another joined node's id, a running node's id, the coordinator's: refused
        for (String host : List.of("worker-1", "WORKER-1", "worker-9", "coordinator")) {
            assertThatThrownBy(() -> joined.admit("worker-2", KEY_B, List.of("10.0.0.2", host), List.of("worker-9")))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED))
                    .hasMessageContaining("which is another node's id");
        }
        // its own id, the common names and other host names are fine
        joined.admit("worker-2", KEY_B, List.of("worker-2", "localhost", "127.0.0.1", "host-2.example"), List.of("worker-9"));
        // an id that is a host name in another node's certificate is refused
        assertThatThrownBy(() -> joined.admit("host-1.example", KEY_B, List.of(), List.of()))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED))
                .hasMessageContaining("the id host-1.example is a host name in the certificate of node worker-1");
    }
}
