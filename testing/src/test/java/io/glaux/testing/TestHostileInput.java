package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.launcher.demo.DemoDataset;
import io.glaux.spi.error.ErrorCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Input meant to hurt: each gets a clear coded error (or the right answer), and the next query still runs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestHostileInput
{
    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
    }

    @Test
    void deeplyNestedExpressionsFailWithACodedError()
            throws Exception
    {
        // within query.max-length (1,000,000 characters), deeper than any stack
        String parentheses = "SELECT " + "(".repeat(400_000) + "1" + ")".repeat(400_000);
        String sums = "SELECT 1" + " + 1".repeat(200_000);
        String calls = "SELECT " + "abs(".repeat(150_000) + "-1" + ")".repeat(150_000);
        // deep enough to pass the parser and then recurse in validation, planning and the workers' expressions
        String deepFilter = "SELECT count(*) FROM access_logs WHERE " + "abs(".repeat(500) + "bytes" + ")".repeat(500) + " >= 0";
        for (String sql : new String[] {parentheses, sums, calls}) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> query(sql))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getMessage()).containsAnyOf("line 1:1: Statement is too large (stack overflow while parsing)",
                                "line 1:1: Statement is too large: 200,000 operators, more than the 10,000 Glaux parses");
                        assertThat(e.getErrorCode()).isIn(ErrorCode.SYNTAX_ERROR.code(), ErrorCode.NOT_SUPPORTED.code());
                    });
            // refused at once, not after minutes of a query thread
            assertThat(System.nanoTime() - started).isLessThan(60_000_000_000L);
            assertHealthy();
        }
        // one the parser takes: it runs (validation, planning and the workers' expressions recurse as deep)
        System.out.println("deep filter: " + query(deepFilter));
        assertHealthy();
    }

    @Test
    void pathTraversalInALocationIsRefused()
            throws Exception
    {
        for (String location : new String[] {"s3://" + DemoDataset.BUCKET + "/../other/", "s3://" + DemoDataset.BUCKET + "/web/../../etc/", "s3://" + DemoDataset.BUCKET + "/a/./b/"}) {
            assertThatThrownBy(() -> execute("CREATE EXTERNAL TABLE web.escaped (line string) LOCATION '" + location + "'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getMessage()).contains("Location '" + location + "' has a '");
                        assertThat(e.getErrorCode()).isEqualTo(ErrorCode.INVALID_LOCATION.code());
                    });
        }
        assertHealthy();
    }

    @Test
    void aTenMegabyteLineIsReadWhole()
            throws Exception
    {
        Path dir = Files.createTempDirectory("glaux-hostile");
        Path file = dir.resolve("big.json");
        String big = "x".repeat(10 * 1024 * 1024);
        Files.writeString(file, "{\"id\": 1, \"text\": \"short\"}\n{\"id\": 2, \"text\": \"" + big + "\"}\n{\"id\": 3, \"text\": \"after\"}\n", StandardCharsets.UTF_8);
        cluster.coordinator().objectStore().put(DemoDataset.BUCKET, "hostile/big/big.json", file);
        execute("CREATE EXTERNAL TABLE web.big_lines (id int, text string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://" + DemoDataset.BUCKET + "/hostile/big/'");
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, length(text) FROM web.big_lines ORDER BY id")) {
            StringBuilder result = new StringBuilder();
            while (rows.next()) {
                result.append(rows.getInt(1)).append(':').append(rows.getLong(2)).append(' ');
            }
            assertThat(result.toString().strip()).isEqualTo("1:5 2:" + big.length() + " 3:5");
        }
        finally {
            execute("DROP TABLE web.big_lines");
        }
        assertHealthy();
    }

    @Test
    void aDecompressionBombIsCutOffWithACodedError()
            throws Exception
    {
        // 256 MB of newlines compress to a few kilobytes of Zstandard: far beyond scan.max-decompression-ratio (1000)
        Path dir = Files.createTempDirectory("glaux-bomb");
        Path file = dir.resolve("bomb.json.zst");
        try (java.io.OutputStream out = new io.airlift.compress.zstd.ZstdOutputStream(Files.newOutputStream(file))) {
            out.write("{\"id\": 1}\n".getBytes(StandardCharsets.UTF_8));
            byte[] block = new byte[1 << 20];
            java.util.Arrays.fill(block, (byte) '\n');
            for (int i = 0; i < 256; i++) {
                out.write(block);
            }
        }
        assertThat(Files.size(file)).isLessThan(1 << 20);
        cluster.coordinator().objectStore().put(DemoDataset.BUCKET, "hostile/bomb/bomb.json.zst", file);
        execute("CREATE EXTERNAL TABLE web.bomb (id int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://" + DemoDataset.BUCKET + "/hostile/bomb/'");
        try {
            assertThatThrownBy(() -> query("SELECT count(*) FROM web.bomb"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(ErrorCode.EXCEEDED_DECOMPRESSION_LIMIT.code());
                        assertThat(e.getMessage()).contains("Decompressing s3://" + DemoDataset.BUCKET + "/hostile/bomb/bomb.json.zst")
                                .contains("to offset ").contains("scan.max-decompression-ratio = 1000");
                    });
        }
        finally {
            execute("DROP TABLE web.bomb");
        }
        assertHealthy();
    }

    private void assertHealthy()
            throws SQLException
    {
        assertThat(query("SELECT count(*) FROM access_logs")).isPositive();
    }

    private long query(String sql)
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(String sql)
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
