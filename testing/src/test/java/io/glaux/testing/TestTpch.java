package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.glaux.launcher.demo.DemoDataset;
import io.glaux.spi.error.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The 22 TPC-H queries at scale factor 0.1 ({@link TpchDataset}: data from {@code io.trino.tpch:tpch},
 * written as Parquet, uploaded to the object store and declared with {@code CREATE EXTERNAL TABLE}) run
 * through the Trino JDBC driver on the in-process cluster; each answer equals DuckDB's over the same
 * local files. All 22 order their result, so rows are compared in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTpch
{
    private static final double SCALE_FACTOR = 0.1;
    private static final String SCHEMA = "tpch";
    /**
     * Queries Glaux cannot run yet, with the error name they fail with today. Such a query must keep
     * failing with exactly that error: once it passes, this test fails until the entry is removed.
     */
    private static final Map<Integer, String> KNOWN_FAILURES = Map.of();

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(90);

    private final Map<Integer, Long> millis = new TreeMap<>();
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor();
    private Connection glaux;
    private Connection duckdb;

    static Stream<Integer> queries()
    {
        return IntStream.rangeClosed(1, TpchDataset.QUERY_COUNT).boxed();
    }

    @BeforeAll
    void setUp()
            throws Exception
    {
        TestCluster cluster = SharedCluster.get();
        Path directory = Files.createTempDirectory("glaux-tpch");
        glaux = cluster.jdbc();
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        long start = System.nanoTime();
        TpchDataset.create(glaux, duckdb, cluster.coordinator().objectStore(), DemoDataset.BUCKET, SCHEMA, directory, SCALE_FACTOR);
        System.out.printf("TPC-H SF %s: tables generated, written and declared in %d ms%n", SCALE_FACTOR, (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    void tearDown()
            throws SQLException
    {
        System.out.println("TPC-H SF " + SCALE_FACTOR + " on Glaux, milliseconds per query: " + millis);
        timeouts.shutdownNow();
        glaux.close();
        duckdb.close();
    }

    @ParameterizedTest(name = "q{0}")
    @MethodSource("queries")
    void matchesDuckDb(int query)
            throws SQLException
    {
        String sql = TpchDataset.query(query);
        String knownError = KNOWN_FAILURES.get(query);
        if (knownError != null) {
            assertThatThrownBy(() -> run(glaux, sql))
                    .as("q%d is listed as failing with %s; if it passes now, remove it from KNOWN_FAILURES", query, knownError)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(errorName(e.getErrorCode())).isEqualTo(knownError));
            return;
        }
        List<List<Object>> expected = run(duckdb, sql);
        long start = System.nanoTime();
        List<List<Object>> actual = run(glaux, sql);
        millis.put(query, (System.nanoTime() - start) / 1_000_000);
        assertThat(expected).as("q%d: DuckDB's answer", query).isNotEmpty();
        String difference = TpchDataset.difference(actual, expected);
        if (difference != null) {
            fail("q%d: %s", query, difference);
        }
    }

    private List<List<Object>> run(Connection connection, String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            // a query that runs away is cancelled, so that it fails this test instead of hanging the build
            ScheduledFuture<?> cancel = timeouts.schedule(() -> {
                try {
                    statement.cancel();
                }
                catch (SQLException ignored) {
                    // the query ended meanwhile
                }
            }, QUERY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            try {
                return TpchDataset.rows(statement.executeQuery(sql));
            }
            finally {
                cancel.cancel(false);
            }
        }
    }

    private static String errorName(int code)
    {
        for (ErrorCode errorCode : ErrorCode.values()) {
            if (errorCode.code() == code) {
                return errorCode.name();
            }
        }
        return "UNKNOWN_" + code;
    }
}
