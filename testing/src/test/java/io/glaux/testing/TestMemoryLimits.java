package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A coordinator with a small per-query memory limit (16MB) and spilling on: a sort, a join and an
 * aggregation larger than the limit complete by spilling, with the same answers as the shared
 * cluster (default limits, same generated data); an operator that cannot spill fails its query with
 * EXCEEDED_MEMORY_LIMIT and the next query runs at once; no memory stays reserved on any node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestMemoryLimits
{
    private static final String SORT = "SELECT user_agent, url, client_ip, ts FROM web.access_logs ORDER BY user_agent, url, client_ip, ts";
    private static final String JOIN = """
            SELECT count(*), sum(a.bytes), count(DISTINCT b.user_agent)
            FROM web.access_logs a JOIN web.access_logs b ON a.ts = b.ts AND a.client_ip = b.client_ip AND a.url = b.url AND a.user_agent = b.user_agent
            """;
    private static final String AGGREGATION = """
            SELECT count(*), sum(c), max(c) FROM (
                SELECT user_agent, url, client_ip, count(*) AS c FROM web.access_logs GROUP BY user_agent, url, client_ip)
            """;
    private static final String UNSPILLABLE = """
            SELECT max(r) FROM (SELECT row_number() OVER (ORDER BY user_agent, url, client_ip, ts) AS r FROM web.access_logs)
            """;

    private Path spill;
    private TestCluster small;
    private TestCluster reference;

    @BeforeAll
    void setUp()
            throws Exception
    {
        spill = Files.createTempDirectory("glaux-spill-test");
        small = TestCluster.withCoordinatorProperties(Files.createTempDirectory("glaux-memory-cluster"), 2, 40_000, 2,
                Map.of("query.max-memory-per-node", "16MB", "spill.path", spill.toString()));
        reference = SharedCluster.get();
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        if (small != null) {
            small.close();
        }
    }

    @Test
    void aSortLargerThanTheLimitSpills()
            throws SQLException
    {
        assertThat(rows(small, SORT)).isEqualTo(rows(reference, SORT)).hasSize(120_000);
        assertReleased();
    }

    @Test
    void aJoinLargerThanTheLimitSpills()
            throws SQLException
    {
        assertThat(rows(small, JOIN)).isEqualTo(rows(reference, JOIN));
        assertReleased();
    }

    @Test
    void anAggregationLargerThanTheLimitSpills()
            throws SQLException
    {
        assertThat(rows(small, AGGREGATION)).isEqualTo(rows(reference, AGGREGATION));
        assertReleased();
    }

    @Test
    void whatCannotSpillFailsTheQueryAndTheNextOneRuns()
            throws SQLException
    {
        assertThatThrownBy(() -> rows(small, UNSPILLABLE))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Query exceeded per-node memory limit of 16MB");
        assertThat(rows(small, "SELECT 1")).containsExactly(List.of("1"));
        assertReleased();
    }

    @Test
    void showSessionGivesTheConfiguredLimitAsQueryMaxMemorysDefault()
            throws SQLException
    {
        assertThat(rows(small, "SHOW SESSION LIKE 'query_max_memory'")).singleElement()
                .satisfies(row -> assertThat(row.subList(1, 3)).containsExactly("16MB", "16MB"));
        try (Connection connection = small.jdbc(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION query_max_memory = '512kB'");
            try (ResultSet resultSet = statement.executeQuery("SHOW SESSION LIKE 'query_max_memory'")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(List.of(resultSet.getString(2), resultSet.getString(3))).containsExactly("512kB", "16MB");
            }
        }
    }

    private void assertReleased()
    {
        assertThat(small.coordinator().reservedQueryMemory()).isZero();
        for (var worker : small.workers()) {
            assertThat(worker.server().reservedQueryMemory()).isZero();
        }
        try (Stream<Path> files = Files.walk(spill)) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<List<String>> rows(TestCluster cluster, String sql)
            throws SQLException
    {
        List<List<String>> rows = new ArrayList<>();
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            ResultSetMetaData metaData = resultSet.getMetaData();
            while (resultSet.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= metaData.getColumnCount(); i++) {
                    row.add(resultSet.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
