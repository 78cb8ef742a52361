package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.launcher.demo.DemoDataset;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * A join of the access logs with a small dimension table (a table in the object store, so both sides
 * are scan stages) runs in the probe scan's tasks on the workers, the build side broadcast to every
 * task; its answers equal the same join with the dimension as literal rows, which the coordinator
 * joins. Two sides too large to broadcast (by the row counts in the Parquet footers) are a partitioned
 * join; planned as a broadcast, the join becomes partitioned at run time, unless the probe side is small
 * enough to broadcast instead (an inner join turns round).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestBroadcastJoin
{
    /** Eight of the ten targets the generator draws from; 10.1.0.9 and 10.1.0.10 have no team. */
    private static final List<List<String>> TARGETS = List.of(
            List.of("10.1.0.1:8080", "core"), List.of("10.1.0.2:8080", "edge"), List.of("10.1.0.3:8080", "edge"), List.of("10.1.0.4:8080", "data"),
            List.of("10.1.0.5:8080", "data"), List.of("10.1.0.6:8080", "core"), List.of("10.1.0.7:8080", "web"), List.of("10.1.0.8:8080", "web"));
    private static final List<String> QUERIES = List.of(
            "SELECT t.team, count(*), sum(l.bytes) FROM web.access_logs l JOIN %s ON l.target = t.target GROUP BY t.team ORDER BY t.team",
            "SELECT coalesce(t.team, 'none') AS team, count(*) FROM web.access_logs l LEFT JOIN %s ON l.target = t.target WHERE l.status >= 500 GROUP BY 1 ORDER BY 1",
            "SELECT l.url, l.ts, t.team FROM web.access_logs l JOIN %s ON l.target = t.target AND t.team <> l.method WHERE l.status = 503 ORDER BY l.ts, l.url, l.client_ip LIMIT 50",
            "SELECT count(*) FROM web.access_logs l WHERE l.target IN (SELECT target FROM %s WHERE team = 'edge')",
            "SELECT count(*) FROM web.access_logs l WHERE NOT EXISTS (SELECT 1 FROM %s WHERE t.target = l.target)");
    private static final String TABLE = "dims.targets t";
    /** Owners of targets: several per target, and the same owner for several targets. */
    private static final List<List<String>> OWNERS = List.of(
            List.of("10.1.0.1:8080", "ann"), List.of("10.1.0.1:8080", "bob"), List.of("10.1.0.2:8080", "ann"), List.of("10.1.0.3:8080", "cid"),
            List.of("10.1.0.3:8080", "cid"), List.of("10.1.0.4:8080", "dan"), List.of("10.1.0.5:8080", "bob"), List.of("10.1.0.8:8080", "eve"));

    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        Path file = Files.createTempDirectory("glaux-dims").resolve("targets.tsv");
        StringBuilder lines = new StringBuilder();
        TARGETS.forEach(row -> lines.append(row.get(0)).append('\t').append(row.get(1)).append('\n'));
        Files.writeString(file, lines);
        var store = cluster.coordinator().objectStore();
        var catalog = cluster.coordinator().catalog();
        catalog.createSchema(Database.named("dims"), true);
        store.put(DemoDataset.BUCKET, "dims/targets/targets.tsv", file);
        catalog.createTable(Table.external("dims", "targets", List.of(new Column("target", Type.VARCHAR), new Column("team", Type.VARCHAR)), List.of(),
                StorageFormat.TEXTFILE.withSerdeParameters(Map.of("field.delim", "\t")), "s3://" + DemoDataset.BUCKET + "/dims/targets/", Map.of()), true);
        // owners: a target may have several (each of its log rows joins once per owner), and 10.1.0.9, 10.1.0.10 have none
        Path owners = Files.createTempDirectory("glaux-dims").resolve("owners.tsv");
        StringBuilder ownerLines = new StringBuilder();
        OWNERS.forEach(row -> ownerLines.append(row.get(0)).append('\t').append(row.get(1)).append('\n'));
        Files.writeString(owners, ownerLines);
        store.put(DemoDataset.BUCKET, "dims/owners/owners.tsv", owners);
        catalog.createTable(Table.external("dims", "owners", List.of(new Column("target", Type.VARCHAR), new Column("owner", Type.VARCHAR)), List.of(),
                StorageFormat.TEXTFILE.withSerdeParameters(Map.of("field.delim", "\t")), "s3://" + DemoDataset.BUCKET + "/dims/owners/", Map.of()), true);
    }

    @Test
    void theJoinRunsOnTheWorkersWithTheCoordinatorsAnswers()
            throws Exception
    {
        String literal = "(VALUES " + String.join(", ", TARGETS.stream().map(row -> "('" + row.get(0) + "', '" + row.get(1) + "')").toList()) + ") AS t(target, team)";
        for (String query : QUERIES) {
            List<List<String>> onWorkers = ClusterChecks.rows(cluster, query.formatted(TABLE));
            List<List<String>> onCoordinator = ClusterChecks.rows(cluster, query.formatted(literal));
            assertThat(onWorkers).as(query).isEqualTo(onCoordinator).isNotEmpty();
        }
        ClusterChecks.assertReleased(cluster);
    }

    @Test
    void distributedPlanShowsTheBroadcast()
            throws SQLException
    {
        String plan = String.join("\n", ClusterChecks.rows(cluster, "EXPLAIN (TYPE DISTRIBUTED) " + QUERIES.getFirst().formatted(TABLE)).stream().map(List::getFirst).toList());
        assertThat(plan)
                .contains("Output partitioning: BROADCAST []")
                .containsPattern("RemoteSource\\[sourceFragmentIds = \\[[0-9]+\\], type = BROADCAST\\]")
                .contains("ScanFilterProject[table = hive.dims.targets")
                .contains("ScanFilterProject[table = hive.web.access_logs");
        // the join and the partial aggregation above it run in the scan stage of the access logs
        int logs = plan.indexOf("ScanFilterProject[table = hive.web.access_logs");
        int fragment = plan.lastIndexOf("Fragment ", logs);
        assertThat(plan.indexOf("Join[type = INNER", fragment)).isBetween(fragment, logs);
        assertThat(plan.indexOf("Aggregate[type = PARTIAL", fragment)).isBetween(fragment, logs);
    }

    @Test
    void anAggregationOverTheJoinAggregatesInTheScanFirst()
            throws Exception
    {
        // grouped by build columns (and the probe's join key), the aggregates reading only log columns: the log scan
        // aggregates by target first, the pipeline joins those groups and merges their states, a build row matching a
        // group once per owner as it would match each of its rows
        List<String> queries = List.of(
                "SELECT o.owner, count(*), sum(l.bytes), min(l.latency), max(l.url), avg(l.bytes), count(l.referrer), count_if(l.status >= 500)"
                        + " FROM web.access_logs l JOIN %s ON l.target = o.target GROUP BY o.owner ORDER BY o.owner",
                "SELECT o.owner, l.target, count(*), sum(l.bytes), max(l.latency) FROM web.access_logs l JOIN %s ON l.target = o.target"
                        + " WHERE l.status < 400 GROUP BY l.target, o.owner ORDER BY 1, 2",
                "SELECT count(*), sum(l.bytes) FROM web.access_logs l JOIN %s ON l.target = o.target");
        String literal = "(VALUES " + String.join(", ", OWNERS.stream().map(row -> "('" + row.get(0) + "', '" + row.get(1) + "')").toList()) + ") AS o(target, owner)";
        for (String query : queries) {
            List<List<String>> onWorkers = ClusterChecks.rows(cluster, query.formatted("dims.owners o"));
            assertThat(onWorkers).as(query).isEqualTo(ClusterChecks.rows(cluster, query.formatted(literal))).isNotEmpty();
            String plan = String.join("\n", ClusterChecks.rows(cluster, "EXPLAIN (TYPE DISTRIBUTED) " + query.formatted("dims.owners o")).stream().map(List::getFirst).toList());
            int logs = plan.indexOf("ScanFilterProject[table = hive.web.access_logs");
            int fragment = plan.lastIndexOf("Fragment ", logs);
            // the scan's own PARTIAL aggregation shows right above it, under the join and the INTERMEDIATE merge
            int intermediate = plan.indexOf("Aggregate[type = INTERMEDIATE", fragment);
            assertThat(intermediate).as(plan).isBetween(fragment, logs);
            assertThat(plan.indexOf("Aggregate[type = PARTIAL", intermediate)).as(plan).isBetween(intermediate, logs);
        }
        // a probe column that is no join key among the groups (one group per row at worst): aggregated after the join
        String perUrl = "SELECT l.url, o.owner, count(*) FROM web.access_logs l JOIN %s ON l.target = o.target GROUP BY l.url, o.owner ORDER BY 1, 2";
        assertThat(ClusterChecks.rows(cluster, perUrl.formatted("dims.owners o"))).isEqualTo(ClusterChecks.rows(cluster, perUrl.formatted(literal)));
        String plan = String.join("\n", ClusterChecks.rows(cluster, "EXPLAIN (TYPE DISTRIBUTED) " + perUrl.formatted("dims.owners o")).stream().map(List::getFirst).toList());
        assertThat(plan).doesNotContain("INTERMEDIATE");

        // a value that fails on the rows the join drops (10.1.0.9 has no owner) is computed after the join, as Trino
        // computes it: aggregating in the scan would divide by zero
        String failing = "SELECT o.owner, sum(100 / CASE WHEN l.target = '10.1.0.9:8080' THEN 0 ELSE 1 END), count_if(l.status >= 500)"
                + " FROM web.access_logs l JOIN %s ON l.target = o.target GROUP BY o.owner ORDER BY o.owner";
        assertThat(ClusterChecks.rows(cluster, failing.formatted("dims.owners o"))).isEqualTo(ClusterChecks.rows(cluster, failing.formatted(literal))).isNotEmpty();
        String failingPlan = String.join("\n", ClusterChecks.rows(cluster, "EXPLAIN (TYPE DISTRIBUTED) " + failing.formatted("dims.owners o")).stream().map(List::getFirst).toList());
        assertThat(failingPlan).doesNotContain("INTERMEDIATE");
        ClusterChecks.assertReleased(cluster);
    }

    @Test
    void twoSidesTooLargeToBroadcastArePartitioned()
            throws Exception
    {
        // each side (every log row with its user agent and referrer, over 10MB) is larger than a broadcast may be:
        // the row counts in the Parquet footers (the metastore has no statistics here) make the planner partition the join
        String query = "SELECT count(*), max(b.user_agent), count(b.referrer) FROM web.access_logs a JOIN web.access_logs b "
                + "ON a.ts = b.ts AND a.client_ip = b.client_ip AND a.url = b.url AND a.user_agent = b.user_agent";
        String plan = String.join("\n", ClusterChecks.rows(cluster, "EXPLAIN (TYPE DISTRIBUTED) " + query).stream().map(List::getFirst).toList());
        assertThat(plan).contains("distribution = PARTITIONED").doesNotContain("type = BROADCAST");
        List<String> joined = ClusterChecks.rows(cluster, query).getFirst();
        List<String> reference = ClusterChecks.rows(cluster, "SELECT count(*), max(user_agent) FROM web.access_logs").getFirst();
        // every row matches itself at least
        assertThat(Long.parseLong(joined.get(0))).isGreaterThanOrEqualTo(Long.parseLong(reference.get(0)));
        assertThat(joined.get(1)).isEqualTo(reference.get(1));

        // planned as a broadcast, the join finds both sides too large at run time and becomes the same partitioned join
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION join_distribution_type = 'BROADCAST'");
            String broadcastPlan = explain(statement, "EXPLAIN (TYPE DISTRIBUTED) " + query);
            assertThat(broadcastPlan).contains("type = BROADCAST").doesNotContain("distribution = PARTITIONED");
            String analyzed = explain(statement, "EXPLAIN ANALYZE " + query);
            assertThat(analyzed).containsPattern("Run time: Join of fragments [0-9]+ and [0-9]+: the build side exceeds the broadcast limit of [^,]+, and so does the probe side: partitioned");
            try (ResultSet result = statement.executeQuery(query)) {
                assertThat(result.next()).isTrue();
                assertThat(List.of(result.getString(1), result.getString(2), result.getString(3))).isEqualTo(joined);
            }
        }
        ClusterChecks.assertReleased(cluster);
    }

    @Test
    void theBroadcastLimitIsTheSessionsJoinMaxBroadcastTableSize()
            throws Exception
    {
        String query = QUERIES.getFirst().formatted(TABLE);
        List<List<String>> expected = ClusterChecks.rows(cluster, query);
        String selfJoin = "SELECT count(*) FROM web.access_logs a JOIN web.access_logs b ON a.ts = b.ts AND a.client_ip = b.client_ip AND a.url = b.url";
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            // by default (join-max-broadcast-table-size = 4MB) the dimension table is broadcast, the logs are not
            assertThat(explain(statement, "EXPLAIN (TYPE DISTRIBUTED) " + query)).contains("type = BROADCAST").doesNotContain("distribution = PARTITIONED");
            assertThat(explain(statement, "EXPLAIN (TYPE DISTRIBUTED) " + selfJoin)).contains("distribution = PARTITIONED");

            // a limit below the dimension table's size: AUTOMATIC partitions even that join, with the same answer
            statement.execute("SET SESSION join_max_broadcast_table_size = '1B'");
            assertThat(rows(statement, "SHOW SESSION LIKE 'join_max_broadcast_table_size'")).singleElement().satisfies(row -> assertThat(row.get(1)).isEqualTo("1B"));
            assertThat(explain(statement, "EXPLAIN (TYPE DISTRIBUTED) " + query)).contains("distribution = PARTITIONED").doesNotContain("type = BROADCAST");
            assertThat(rows(statement, query)).isEqualTo(expected);

            // a limit above the logs' size: AUTOMATIC broadcasts the self-join's build side
            statement.execute("SET SESSION join_max_broadcast_table_size = '100GB'");
            assertThat(explain(statement, "EXPLAIN (TYPE DISTRIBUTED) " + selfJoin)).contains("type = BROADCAST").doesNotContain("distribution = PARTITIONED");

            statement.execute("RESET SESSION join_max_broadcast_table_size");
            assertThat(explain(statement, "EXPLAIN (TYPE DISTRIBUTED) " + query)).contains("type = BROADCAST");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.execute("SET SESSION join_max_broadcast_table_size = 'large'"))
                    .hasMessageContaining("Invalid value 'large' for session property join_max_broadcast_table_size");
        }
        ClusterChecks.assertReleased(cluster);
    }

    private static List<List<String>> rows(Statement statement, String sql)
            throws SQLException
    {
        List<List<String>> rows = new java.util.ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new java.util.ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String explain(Statement statement, String sql)
            throws SQLException
    {
        StringBuilder text = new StringBuilder();
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                text.append(result.getString(1)).append('\n');
            }
        }
        return text.toString();
    }

    @Test
    void theLargerSideIsTheProbeSideWhateverTheFromOrder()
            throws Exception
    {
        // FROM order would make the logs (over 4MB with their user agents) the build side and the targets the probe side;
        // the tables' row counts (Parquet footers, the text file's bytes) make the planner build the targets
        String query = "SELECT t.team, count(*), sum(l.bytes), max(l.user_agent) FROM %s JOIN web.access_logs l ON l.target = t.target GROUP BY t.team ORDER BY t.team";
        String literal = "(VALUES " + String.join(", ", TARGETS.stream().map(row -> "('" + row.get(0) + "', '" + row.get(1) + "')").toList()) + ") AS t(target, team)";
        List<List<String>> turned = ClusterChecks.rows(cluster, query.formatted(TABLE));
        assertThat(turned).isEqualTo(ClusterChecks.rows(cluster, query.formatted(literal))).hasSize(4);
        String plan = String.join("\n", ClusterChecks.rows(cluster, "EXPLAIN (TYPE DISTRIBUTED) " + query.formatted(TABLE)).stream().map(List::getFirst).toList());
        int logs = plan.indexOf("ScanFilterProject[table = hive.web.access_logs");
        int fragment = plan.lastIndexOf("Fragment ", logs);
        assertThat(plan.indexOf("Join[type = INNER", fragment)).as(plan).isBetween(fragment, logs);
        String analyzed = String.join("\n", ClusterChecks.rows(cluster, "EXPLAIN ANALYZE " + query.formatted(TABLE)).stream().map(List::getFirst).toList());
        // joined on the coordinator, the partial aggregation would run once (4 groups); with the logs probing, it runs in
        // every task scanning the logs, each sending its own groups to the final aggregation
        java.util.regex.Matcher finalInput = java.util.regex.Pattern.compile("Aggregate\\[type = FINAL[^\\n]*\\n[^\\n]*\\n[^\\n]*Input: ([0-9,]+) rows").matcher(analyzed);
        assertThat(finalInput.find()).as(analyzed).isTrue();
        assertThat(Long.parseLong(finalInput.group(1).replace(",", ""))).as(analyzed).isGreaterThan(4);
        ClusterChecks.assertReleased(cluster);
    }
}
