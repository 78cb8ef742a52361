package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.testing.TrinoCliProcess.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

/** The unmodified Trino CLI's session: SHOW SESSION, SET SESSION within a run, and --session. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTrinoCliSession
{
    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        assertThat(TrinoCliProcess.JAR).exists();
        cluster = SharedCluster.get();
    }

    /** query_max_memory's default: the coordinator's query.max-memory-per-node, derived from this (shared) JVM's heap. */
    private static final String MAX_MEMORY = io.glaux.coordinator.query.SessionProperties.formatDataSize(io.glaux.engine.memory.MemoryPool.defaultMaxBytes());

    @Test
    void showSessionListsTheProperties()
            throws Exception
    {
        Result result = trino(List.of(), "SHOW SESSION");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("\"join_distribution_type\",\"AUTOMATIC\",\"AUTOMATIC\",\"varchar\",")
                .contains("\"query_max_memory\",\"" + MAX_MEMORY + "\",\"" + MAX_MEMORY + "\",\"varchar\",")
                .contains("\"query_max_run_time\",\"100d\",\"100d\",\"varchar\",")
                .contains("\"time_zone\",");
    }

    @Test
    void propertiesSetWithTheSessionOption()
            throws Exception
    {
        Result result = trino(List.of("--session", "join_distribution_type=BROADCAST", "--session", "query_max_run_time=30m"),
                "SHOW SESSION LIKE 'j%'; SHOW SESSION LIKE 'query_max_run%'; SELECT count(*) FROM access_logs");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("\"join_distribution_type\",\"BROADCAST\",\"AUTOMATIC\"")
                .contains("\"query_max_run_time\",\"30m\",\"100d\"")
                .contains("\"120000\"");
    }

    @Test
    void setSessionIsCarriedToTheNextStatements()
            throws Exception
    {
        Result result = trino(List.of(), "SET SESSION query_max_memory = '1GB'; SHOW SESSION LIKE 'query_max_memory'");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("\"query_max_memory\",\"1GB\",\"" + MAX_MEMORY + "\"");
    }

    @Test
    void anUnknownPropertyFailsWithItsName()
            throws Exception
    {
        Result result = trino(List.of("--session", "no_such_property=1"), "SELECT 1");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.out() + result.err()).contains("Session property 'no_such_property' does not exist");
    }

    private Result trino(List<String> options, String sql)
            throws Exception
    {
        return TrinoCliProcess.run(cluster, options, sql);
    }
}
