package io.glaux.coordinator.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

class TestHistoryStore
{
    @TempDir
    Path dir;

    @Test
    void keepsHistoryPerUserAcrossReopen()
    {
        try (HistoryStore store = HistoryStore.open(dir)) {
            store.upsert(entry("q1", "alice", "SELECT 1", "RUNNING", 1000, Optional.empty()));
            store.upsert(entry("q1", "alice", "SELECT 1", "FINISHED", 1000, Optional.of(1500L)));
            store.upsert(entry("q2", "alice", "SELECT status FROM access_logs", "FAILED", 2000, Optional.of(2100L)));
            store.upsert(entry("q3", "bob", "SELECT 100% _done", "RUNNING", 3000, Optional.empty()));
        }
        try (HistoryStore store = HistoryStore.open(dir)) {
            List<HistoryEntry> alice = store.search("alice", "", "", 0, 100);
            assertThat(alice).extracting(HistoryEntry::queryId).containsExactly("q2", "q1");
            assertThat(alice.get(1).state()).isEqualTo("FINISHED");
            assertThat(alice.get(1).endMillis()).contains(1500L);
            assertThat(store.search("alice", "ACCESS_logs", "", 0, 100)).extracting(HistoryEntry::queryId).containsExactly("q2");
            assertThat(store.search("alice", "q1", "", 0, 100)).extracting(HistoryEntry::queryId).containsExactly("q1");
            assertThat(store.search("alice", "", "finished", 0, 100)).extracting(HistoryEntry::queryId).containsExactly("q1");
            assertThat(store.search("alice", "", "", 2000, 100)).extracting(HistoryEntry::queryId).containsExactly("q1");
            assertThat(store.search("alice", "", "", 0, 1)).extracting(HistoryEntry::queryId).containsExactly("q2");
            // LIKE wildcards in the search text are plain characters
            assertThat(store.search("bob", "100%", "", 0, 100)).hasSize(1);
            assertThat(store.search("bob", "1_0", "", 0, 100)).isEmpty();
            // running when the coordinator stopped: it will never end
            HistoryEntry orphan = store.get("q3").orElseThrow();
            assertThat(orphan.state()).isEqualTo("FAILED");
            assertThat(orphan.errorName()).contains("SERVER_SHUTTING_DOWN");
        }
    }

    @Test
    void savesQueriesPerOwner()
    {
        long id;
        try (HistoryStore store = HistoryStore.open(dir)) {
            id = store.createSaved("alice", "Errors", "5xx by day", "SELECT 1").id();
            store.createSaved("alice", "apdex", "", "SELECT 2");
            store.createSaved("bob", "Bob's", "", "SELECT 3");
            assertThat(store.updateSaved("alice", id, "Errors by day", "5xx per partition", "SELECT 11")).isPresent();
            assertThat(store.updateSaved("bob", id, "stolen", "", "SELECT 4")).isEmpty();
            assertThat(store.deleteSaved("bob", id)).isFalse();
        }
        try (HistoryStore store = HistoryStore.open(dir)) {
            assertThat(store.savedQueries("alice", "")).extracting(SavedQuery::name).containsExactly("apdex", "Errors by day");
            assertThat(store.savedQueries("alice", "PARTITION")).extracting(SavedQuery::sql).containsExactly("SELECT 11");
            assertThat(store.savedQuery("bob", id)).isEmpty();
            assertThat(store.deleteSaved("alice", id)).isTrue();
            assertThat(store.savedQueries("alice", "")).extracting(SavedQuery::name).containsExactly("apdex");
        }
    }

    @Test
    void keepsAnInMemoryHistory()
    {
        try (HistoryStore first = HistoryStore.open(dir); HistoryStore memory = HistoryStore.inMemory()) {
            first.upsert(entry("q1", "alice", "SELECT 1", "FINISHED", 1000, Optional.of(1001L)));
            memory.upsert(entry("q2", "alice", "SELECT 2", "FINISHED", 1000, Optional.of(1001L)));
            assertThat(memory.search("alice", "", "", 0, 10)).extracting(HistoryEntry::queryId).containsExactly("q2");
        }
    }

    private static HistoryEntry entry(String id, String user, String sql, String state, long start, Optional<Long> end)
    {
        return new HistoryEntry(id, user, "test", "hive", "web", sql, state,
                state.equals("FAILED") ? Optional.of("COLUMN_NOT_FOUND") : Optional.empty(),
                state.equals("FAILED") ? Optional.of("Column 'x' cannot be resolved") : Optional.empty(),
                start, end, 10, 2048, 100);
    }
}
