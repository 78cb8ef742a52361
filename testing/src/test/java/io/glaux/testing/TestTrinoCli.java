package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

/** The unmodified Trino CLI (476) as a client process against the coordinator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTrinoCli
{
    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        assertThat(TrinoCliProcess.JAR).exists();
        cluster = SharedCluster.get();
    }

    @Test
    void runsQueriesAndMetadataStatements()
            throws Exception
    {
        String out = trino("SELECT status, count(*) FROM access_logs WHERE status >= 500 GROUP BY status ORDER BY 1; SHOW TABLES; DESCRIBE access_logs");
        assertThat(out).contains("\"500\",\"").contains("\"502\",\"").contains("\"503\",\"")
                .contains("\"access_logs\"")
                .contains("\"status\",\"integer\"").contains("\"ts\",\"timestamp(3)\"");
    }

    @Test
    void showsFunctionsAndMetadataTables()
            throws Exception
    {
        String out = trino("SHOW FUNCTIONS LIKE 'lower'; SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'web';"
                + " SELECT current_catalog, current_schema");
        assertThat(out).contains("\"lower\",\"varchar\",\"varchar\",\"scalar\",\"true\",\"")
                .contains("\"access_logs\",\"BASE TABLE\"")
                .contains("\"hive\",\"web\"");
    }

    @Test
    void reportsErrorsWithPosition()
            throws Exception
    {
        TrinoCliProcess.Result result = TrinoCliProcess.run(cluster, List.of(), "SELECT nope FROM access_logs");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.out() + result.err()).contains("line 1:8").contains("nope");
    }

    private String trino(String sql)
            throws Exception
    {
        TrinoCliProcess.Result result = TrinoCliProcess.run(cluster, List.of(), sql);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result.out();
    }
}
