package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.launcher.demo.DemoDataset;
import io.glaux.spi.error.ErrorCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Table patterns written to hurt: a RegexSerDe pattern that backtracks exponentially in
 * java.util.regex finishes in linear time (RE2/J), one RE2 cannot run is a coded error naming the
 * table property, and a grok pattern that needs java.util.regex stops at its time bound; the
 * cluster answers the next query.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestHostileRegex
{
    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        Path file = Files.createTempDirectory("glaux-hostile").resolve("lines.log");
        // 200 lines of 2,000 a's and a b: (a+)+$ backtracks 2^2000 ways on each in java.util.regex
        Files.writeString(file, ("a".repeat(2_000) + "b\n").repeat(200) + "aaa\n");
        cluster.coordinator().objectStore().put(DemoDataset.BUCKET, "hostile/lines/lines.log", file);
        execute("CREATE SCHEMA IF NOT EXISTS hostile");
    }

    @Test
    void aBacktrackingRegexSerDePatternFinishesFast()
            throws Exception
    {
        execute("CREATE EXTERNAL TABLE IF NOT EXISTS hostile.regex_lines (x string) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'"
                + " WITH SERDEPROPERTIES ('input.regex' = '((a+)+)$') LOCATION 's3://" + DemoDataset.BUCKET + "/hostile/lines/'");
        long start = System.nanoTime();
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*), count(x), max(x) FROM hostile.regex_lines")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(201);
            assertThat(rows.getLong(2)).isEqualTo(1);
            assertThat(rows.getString(3)).isEqualTo("aaa");
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(30_000);
    }

    @Test
    void aPatternRe2RefusesIsACodedErrorNamingTheProperty()
            throws Exception
    {
        execute("CREATE EXTERNAL TABLE IF NOT EXISTS hostile.backreference (x string) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'"
                + " WITH SERDEPROPERTIES ('input.regex' = '(a)\\\\1(.*)') LOCATION 's3://" + DemoDataset.BUCKET + "/hostile/lines/'");
        assertThatThrownBy(() -> execute("SELECT count(x) FROM hostile.backreference"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Invalid input.regex")
                .hasMessageContaining("RE2")
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY.code()));
        assertHealthy();
    }

    @Test
    void aBacktrackingGrokPatternStopsAtItsTimeBound()
            throws Exception
    {
        // the lookahead keeps this pattern out of RE2; (.*a){20} then backtracks without end on 60 a's and a b
        Path file = Files.createTempDirectory("glaux-hostile-grok").resolve("grok.log");
        Files.writeString(file, "a".repeat(60) + "b\n");
        cluster.coordinator().objectStore().put(DemoDataset.BUCKET, "hostile/grok/grok.log", file);
        execute("CREATE EXTERNAL TABLE IF NOT EXISTS hostile.grok_lines (x string) ROW FORMAT SERDE 'com.amazonaws.glue.serde.GrokSerDe'"
                + " WITH SERDEPROPERTIES ('input.format' = '^%{HOSTILE:x}$', 'input.grokCustomPatterns' = 'HOSTILE (?=a)(.*a){20}')"
                + " LOCATION 's3://" + DemoDataset.BUCKET + "/hostile/grok/'");
        long start = System.nanoTime();
        assertThatThrownBy(() -> execute("SELECT count(x) FROM hostile.grok_lines"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("The pattern of input.format took longer than 1000 ms")
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY.code()));
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(30_000);
        assertHealthy();
    }

    private void assertHealthy()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM access_logs")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(120_000);
        }
    }

    private void execute(String sql)
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            if (statement.execute(sql)) {
                try (ResultSet rows = statement.getResultSet()) {
                    while (rows.next()) {
                        // drain: the statement's error may come with any page
                    }
                }
            }
        }
    }
}
