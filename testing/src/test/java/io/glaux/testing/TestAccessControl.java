package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.coordinator.security.AccessControlConfig;
import io.glaux.launcher.demo.DemoDataset;
import io.glaux.spi.error.ErrorCode;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The rules file ({@code access-control.rules-file}) on a real cluster through the Trino JDBC driver:
 * every rule kind (catalog, schema, table, location, user and group, groups from the rules file and
 * from the group file) both denies and allows, and SHOW / {@code system.jdbc} / DatabaseMetaData list
 * only what the user may see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestAccessControl
{
    private static final String LOGS = "s3://" + DemoDataset.BUCKET + "/" + DemoDataset.PREFIX;

    private TestCluster cluster;

    @BeforeAll
    void start()
            throws Exception
    {
        Path directory = Files.createTempDirectory("glaux-access-control");
        Path rules = directory.resolve("rules.json");
        Files.writeString(rules, """
                {
                  "groups": {"analysts": ["alice"], "etl": ["erin"]},
                  "catalogs": [
                    {"user": "admin", "allow": "all"},
                    {"group": "etl", "catalog": "hive", "allow": "all"},
                    {"group": "analysts|auditors", "catalog": "hive", "allow": "read-only"}
                  ],
                  "schemas": [
                    {"user": "admin", "owner": true},
                    {"group": "etl", "schema": "staging", "owner": true}
                  ],
                  "tables": [
                    {"user": "admin", "privileges": ["SELECT", "OWNERSHIP"]},
                    {"group": "analysts", "schema": "web", "table": "access_logs|clicks_view", "privileges": ["SELECT"]},
                    {"group": "auditors", "schema": "web", "table": "secret_logs", "privileges": ["SELECT"]},
                    {"group": "etl", "schema": "staging", "privileges": ["SELECT", "OWNERSHIP"]},
                    {"group": "etl", "schema": "web", "table": "access_logs", "privileges": ["SELECT"]}
                  ],
                  "locations": [
                    {"user": "admin", "location": "s3://glaux-demo/"},
                    {"group": "etl", "location": "s3://glaux-demo/etl/"}
                  ]
                }
                """);
        Path groups = directory.resolve("groups.txt");
        Files.writeString(groups, "# group:users\nauditors:carol\n");
        cluster = TestCluster.withCoordinatorProperties(directory.resolve("cluster"), 1, 500, 1, Map.of(
                AccessControlConfig.RULES_FILE, rules.toString(),
                AccessControlConfig.GROUP_FILE, groups.toString()));
        run("admin", "CREATE EXTERNAL TABLE secret_logs (request_id varchar(64)) STORED AS PARQUET LOCATION '" + LOGS + "'");
        run("admin", "CREATE VIEW clicks_view AS SELECT count(*) AS n FROM secret_logs");
        run("admin", "CREATE SCHEMA staging");
    }

    @AfterAll
    void stop()
    {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void catalogRulesDenyAndAllow()
            throws Exception
    {
        // mallory matches no catalog rule: nothing in hive
        assertDenied(() -> run("mallory", "SELECT count(*) FROM access_logs"), "Access Denied: Cannot access catalog hive");
        assertDenied(() -> run("mallory", "SHOW TABLES FROM web"), "Access Denied: Cannot access catalog hive");
        assertDenied(() -> run("mallory", "SHOW SCHEMAS FROM hive"), "Access Denied: Cannot access catalog hive");
        assertThat(run("mallory", "SHOW SCHEMAS")).isEmpty();
        assertThat(run("mallory", "SHOW CATALOGS")).containsExactly(List.of("system"));
        // alice's catalog is read-only: she reads, and may not define even where a table rule would let her
        assertThat(run("alice", "SELECT count(*) FROM access_logs")).containsExactly(List.of("1500"));
        assertThat(run("alice", "SHOW CATALOGS")).containsExactly(List.of("hive"), List.of("system"));
        assertDenied(() -> run("alice", "DROP TABLE access_logs"), "Access Denied: Cannot drop table hive.web.access_logs");
        assertDenied(() -> run("alice", "MSCK REPAIR TABLE access_logs"), "Access Denied: Cannot alter table hive.web.access_logs");
    }

    @Test
    void tableRulesDenyAndAllowByUserAndGroup()
            throws Exception
    {
        // positioned where the query names the table
        assertDenied(() -> run("alice", "SELECT count(*) FROM secret_logs"), "line 1:22: Access Denied: Cannot select from table hive.web.secret_logs");
        assertDenied(() -> run("alice", "SELECT count(*)\nFROM access_logs, web.secret_logs"), "line 2:19: Access Denied: Cannot select from table hive.web.secret_logs");
        assertDenied(() -> run("alice", "SELECT count(*) FROM access_logs CROSS JOIN hive.web.secret_logs"),
                "Cannot select from table hive.web.secret_logs");
        // a subquery and EXPLAIN are checked too
        assertDenied(() -> run("alice", "SELECT count(*) FROM access_logs WHERE EXISTS (SELECT 1 FROM secret_logs)"),
                "Cannot select from table hive.web.secret_logs");
        assertDenied(() -> run("alice", "EXPLAIN SELECT * FROM secret_logs"), "Cannot select from table hive.web.secret_logs");
        // a view reads with the rights of whoever queries it: alice may read the view, not the table under it
        assertDenied(() -> run("alice", "SELECT * FROM clicks_view"), "Cannot select from table hive.web.secret_logs");
        assertDenied(() -> run("alice", "DESCRIBE secret_logs"), "Access Denied: Cannot show columns of table hive.web.secret_logs");
        assertDenied(() -> run("alice", "SHOW CREATE TABLE access_logs"), "Access Denied: Cannot show create table for hive.web.access_logs");
        // every other path that shows a table's metadata: SHOW PARTITIONS needs some privilege; the
        // definition (properties, location, storage) needs OWNERSHIP
        assertDenied(() -> run("alice", "SHOW PARTITIONS secret_logs"), "Access Denied: Cannot show columns of table hive.web.secret_logs");
        assertDenied(() -> run("alice", "SHOW TBLPROPERTIES access_logs"), "Access Denied: Cannot show create table for hive.web.access_logs");
        assertDenied(() -> run("alice", "SHOW TBLPROPERTIES secret_logs('EXTERNAL')"), "Access Denied: Cannot show create table for hive.web.secret_logs");
        assertDenied(() -> run("alice", "DESCRIBE FORMATTED access_logs"), "Access Denied: Cannot show create table for hive.web.access_logs");
        assertDenied(() -> run("alice", "DESCRIBE FORMATTED secret_logs"), "Access Denied: Cannot show create table for hive.web.secret_logs");
        assertDenied(() -> run("alice", "SHOW CREATE VIEW clicks_view"), "Access Denied: Cannot show create table for hive.web.clicks_view");
        assertDenied(() -> run("mallory", "SHOW PARTITIONS access_logs"), "Access Denied");
        // and the owner sees them
        assertThat(run("admin", "SHOW TBLPROPERTIES access_logs")).isNotEmpty();
        assertThat(run("admin", "DESCRIBE FORMATTED secret_logs")).isNotEmpty();
        // carol is an auditor through the group file: secret_logs yes, access_logs no
        assertThat(run("carol", "SELECT count(*) FROM secret_logs")).containsExactly(List.of("1500"));
        assertDenied(() -> run("carol", "SELECT count(*) FROM access_logs"), "Cannot select from table hive.web.access_logs");
        // admin (a user rule) reads everything, the view included
        assertThat(run("admin", "SELECT n FROM clicks_view")).containsExactly(List.of("1500"));
        assertThat(run("admin", "DESCRIBE secret_logs")).extracting(row -> row.get(0)).containsExactly("request_id");
    }

    @Test
    void schemaRulesDenyAndAllow()
            throws Exception
    {
        assertDenied(() -> run("erin", "CREATE SCHEMA reports"), "line 1:15: Access Denied: Cannot create schema hive.reports");
        assertDenied(() -> run("alice", "DROP SCHEMA staging"), "Access Denied: Cannot drop schema hive.staging");
        assertDenied(() -> run("erin", "DROP SCHEMA web"), "Access Denied: Cannot drop schema hive.web");
        run("erin", "CREATE SCHEMA IF NOT EXISTS staging");
        run("admin", "CREATE SCHEMA reports");
        run("admin", "DROP SCHEMA reports");
    }

    @Test
    void ddlAndLocationRulesDenyAndAllow()
            throws Exception
    {
        String table = "CREATE EXTERNAL TABLE staging.%s (request_id varchar(64)) STORED AS PARQUET LOCATION '%s'";
        // erin owns staging's tables, but only within s3://glaux-demo/etl/
        assertDenied(() -> run("erin", table.formatted("stolen", LOGS)),
                "Access Denied: Cannot use location " + LOGS + " for table hive.staging.stolen");
        assertDenied(() -> run("erin", table.formatted("stolen", "s3://glaux-demo/etl/../logs/access/")), "Cannot use location");
        assertDenied(() -> run("erin", table.formatted("stolen", "s3://glaux-demo/etlx/")), "Cannot use location");
        assertDenied(() -> run("erin", "CREATE EXTERNAL TABLE web.mine (x int) LOCATION 's3://glaux-demo/etl/mine/'"),
                "Access Denied: Cannot create table hive.web.mine");
        assertDenied(() -> run("erin", "DROP TABLE web.access_logs"), "Access Denied: Cannot drop table hive.web.access_logs");
        run("erin", "CREATE EXTERNAL TABLE staging.daily (request_id varchar(64)) PARTITIONED BY (dt string) STORED AS PARQUET"
                + " LOCATION 's3a://glaux-demo/etl/daily/'");
        run("erin", "ALTER TABLE staging.daily SET TBLPROPERTIES ('owner' = 'erin')");
        run("erin", "MSCK REPAIR TABLE staging.daily");
        assertDenied(() -> run("erin", "ALTER TABLE staging.daily ADD PARTITION (dt = '2024-03-01') LOCATION '" + LOGS + "dt=2024-03-01/'"),
                "Access Denied: Cannot use location " + LOGS + "dt=2024-03-01/ for a partition of table hive.staging.daily");
        run("erin", "ALTER TABLE staging.daily ADD PARTITION (dt = '2024-03-01') LOCATION 's3://glaux-demo/etl/daily/dt=2024-03-01/'");
        assertThat(run("erin", "SELECT count(*) FROM staging.daily")).containsExactly(List.of("0"));
        assertThat(run("erin", "SHOW TABLES FROM staging")).containsExactly(List.of("daily"));
        // alice may neither see nor drop it
        assertDenied(() -> run("alice", "SHOW TABLES FROM staging"), "Access Denied: Cannot show tables of schema hive.staging");
        assertDenied(() -> run("alice", "DROP TABLE staging.daily"), "Access Denied: Cannot drop table hive.staging.daily");
        // a view is defined only over what its definer may read
        assertDenied(() -> run("erin", "CREATE VIEW staging.peek AS SELECT * FROM web.secret_logs"),
                "Access Denied: Cannot select from table hive.web.secret_logs");
        run("erin", "CREATE VIEW staging.hits AS SELECT count(*) AS n FROM web.access_logs");
        assertThat(run("erin", "SELECT n FROM staging.hits")).containsExactly(List.of("1500"));
        run("erin", "DROP VIEW staging.hits");
        run("erin", "DROP TABLE staging.daily");
    }

    @Test
    void listingsShowOnlyWhatTheUserMaySee()
            throws Exception
    {
        assertThat(run("alice", "SHOW TABLES FROM web")).containsExactly(List.of("access_logs"), List.of("clicks_view"));
        assertThat(run("carol", "SHOW TABLES FROM web")).containsExactly(List.of("secret_logs"));
        assertThat(run("admin", "SHOW TABLES FROM web")).containsExactly(List.of("access_logs"), List.of("clicks_view"), List.of("secret_logs"));
        // information_schema is listed for everyone, as in Trino: its rows are filtered instead
        assertThat(run("alice", "SHOW SCHEMAS FROM hive")).containsExactly(List.of("information_schema"), List.of("web"));
        assertThat(run("erin", "SHOW SCHEMAS FROM hive")).containsExactly(List.of("information_schema"), List.of("staging"), List.of("web"));
        assertThat(run("alice", "SELECT table_name FROM information_schema.tables WHERE table_schema = 'web' ORDER BY 1"))
                .containsExactly(List.of("access_logs"), List.of("clicks_view"));
        assertThat(run("alice", "SELECT table_name FROM system.jdbc.tables WHERE table_cat = 'hive' AND table_schem = 'web' ORDER BY 1"))
                .containsExactly(List.of("access_logs"), List.of("clicks_view"));
        assertThat(run("alice", "SELECT DISTINCT table_name FROM system.jdbc.columns WHERE table_cat = 'hive' AND table_schem = 'web' ORDER BY 1"))
                .containsExactly(List.of("access_logs"), List.of("clicks_view"));
        assertThat(run("mallory", "SELECT count(*) FROM system.jdbc.tables WHERE table_cat = 'hive'")).containsExactly(List.of("0"));
        // the driver's DatabaseMetaData reads the same tables
        try (Connection connection = connect("carol"); ResultSet tables = connection.getMetaData().getTables("hive", "web", null, null)) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString("TABLE_SCHEM") + "." + tables.getString("TABLE_NAME"));
            }
            assertThat(names).containsExactly("web.secret_logs");
        }
    }

    private static void assertDenied(ThrowableAssert.ThrowingCallable call, String message)
    {
        assertThatThrownBy(call)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).as(e.getMessage()).isEqualTo(ErrorCode.ACCESS_DENIED.code()));
    }

    private Connection connect(String user)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        return DriverManager.getConnection(cluster.jdbcUrl(), properties);
    }

    /** The rows as strings; an update count gives no rows. */
    private List<List<String>> run(String user, String sql)
            throws SQLException
    {
        try (Connection connection = connect(user); Statement statement = connection.createStatement()) {
            List<List<String>> rows = new ArrayList<>();
            if (statement.execute(sql)) {
                try (ResultSet result = statement.getResultSet()) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= columns; i++) {
                            row.add(result.getString(i));
                        }
                        rows.add(row);
                    }
                }
            }
            return rows;
        }
    }
}
