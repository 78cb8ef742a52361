package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.glaux.launcher.demo.DemoDataset;
import io.glaux.spi.error.ErrorCode;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The 22 TPC-H queries at scale factor 0.1 (data from {@code io.trino.tpch:tpch}, written as Parquet by
 * parquet-java, uploaded to the object store and declared with {@code CREATE EXTERNAL TABLE}) run through
 * the Trino JDBC driver on the in-process cluster; each answer equals DuckDB's over the same local files.
 * Every query text is the published one with the specification's default substitution parameters
 * ({@code src/test/resources/tpch/}); all 22 order their result, so rows are compared in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTpch
{
    private static final double SCALE_FACTOR = 0.1;
    private static final String SCHEMA = "tpch";
    /** The files per table: the large tables are split so that both workers scan. */
    private static final Map<String, Integer> PARTS = Map.of("lineitem", 4, "orders", 2, "partsupp", 2);
    /**
     * Queries Glaux cannot run yet, with the error name they fail with today. Such a query must keep
     * failing with exactly that error: once it passes, this test fails until the entry is removed.
     */
    private static final Map<Integer, String> KNOWN_FAILURES = Map.of();

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(90);

    private final Map<Integer, Long> millis = new TreeMap<>();
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor();
    private TestCluster cluster;
    private Connection glaux;
    private Connection duckdb;

    static Stream<Integer> queries()
    {
        return IntStream.rangeClosed(1, 22).boxed();
    }

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        Path directory = Files.createTempDirectory("glaux-tpch");
        glaux = cluster.jdbc();
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement statement = glaux.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
        }
        glaux.setSchema(SCHEMA);
        long start = System.nanoTime();
        // every file written in parallel, then each table declared in both engines
        List<Runnable> writes = new ArrayList<>();
        for (TpchTable<?> table : TpchTable.getTables()) {
            String name = table.getTableName();
            Path tableDirectory = Files.createDirectories(directory.resolve(name));
            int parts = PARTS.getOrDefault(name, 1);
            for (int part = 1; part <= parts; part++) {
                Path file = tableDirectory.resolve("part-" + part + ".parquet");
                int thisPart = part;
                writes.add(() -> {
                    try {
                        writeParquet(table, thisPart, parts, file);
                        cluster.coordinator().objectStore().put(DemoDataset.BUCKET, SCHEMA + "/" + name + "/" + file.getFileName(), file);
                    }
                    catch (Exception e) {
                        throw new IllegalStateException("writing " + file, e);
                    }
                });
            }
        }
        writes.parallelStream().forEach(Runnable::run);
        for (TpchTable<?> table : TpchTable.getTables()) {
            String name = table.getTableName();
            String columns = table.getColumns().stream().map(column -> column.getColumnName() + " " + hiveType(column)).collect(Collectors.joining(", "));
            try (Statement statement = glaux.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + name);
                statement.execute("CREATE EXTERNAL TABLE " + name + " (" + columns + ") STORED AS PARQUET LOCATION 's3://" + DemoDataset.BUCKET + "/" + SCHEMA + "/" + name + "/'");
            }
            try (Statement statement = duckdb.createStatement()) {
                statement.execute("CREATE VIEW " + name + " AS SELECT * FROM read_parquet('" + directory.resolve(name) + "/*.parquet')");
            }
        }
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
        String sql = queryText(query);
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
        assertThat(actual).as("q%d: row count", query).hasSameSizeAs(expected);
        for (int row = 0; row < expected.size(); row++) {
            List<Object> want = expected.get(row);
            List<Object> got = actual.get(row);
            assertThat(got).as("q%d row %d: column count", query, row).hasSameSizeAs(want);
            for (int column = 0; column < want.size(); column++) {
                if (!same(got.get(column), want.get(column))) {
                    fail("q%d row %d column %d: Glaux %s, DuckDB %s%nGlaux row:  %s%nDuckDB row: %s".formatted(query, row, column + 1, got.get(column), want.get(column), got, want));
                }
            }
        }
    }

    /** Numbers compare with a relative tolerance, or within the rounding of a decimal to its scale. */
    private static boolean same(Object actual, Object expected)
    {
        if (actual instanceof Number a && expected instanceof Number e) {
            BigDecimal x = decimal(a);
            BigDecimal y = decimal(e);
            BigDecimal difference = x.subtract(y).abs();
            double relative = difference.doubleValue() / Math.max(Math.max(Math.abs(x.doubleValue()), Math.abs(y.doubleValue())), 1e-300);
            int scale = Math.min(a instanceof BigDecimal d ? d.scale() : Integer.MAX_VALUE, e instanceof BigDecimal d ? d.scale() : Integer.MAX_VALUE);
            return difference.signum() == 0 || relative <= 1e-9 || (scale != Integer.MAX_VALUE && difference.compareTo(BigDecimal.ONE.movePointLeft(scale).divide(BigDecimal.TWO)) <= 0);
        }
        if (actual == null || expected == null) {
            return actual == expected;
        }
        return actual.toString().equals(expected.toString());
    }

    private static BigDecimal decimal(Number number)
    {
        return switch (number) {
            case BigDecimal d -> d;
            case Double d -> new BigDecimal(d);
            case Float f -> new BigDecimal(f);
            default -> BigDecimal.valueOf(number.longValue());
        };
    }

    private List<List<Object>> run(Connection connection, String sql)
            throws SQLException
    {
        List<List<Object>> rows = new ArrayList<>();
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
                read(statement.executeQuery(sql), rows);
            }
            finally {
                cancel.cancel(false);
            }
        }
        return rows;
    }

    private static void read(ResultSet results, List<List<Object>> rows)
            throws SQLException
    {
        try (ResultSet resultSet = results) {
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    Object value = resultSet.getObject(i);
                    // java.sql.Date (Trino) and LocalDate (DuckDB) compare by their ISO text
                    row.add(value instanceof java.sql.Date date ? date.toLocalDate() : value);
                }
                rows.add(row);
            }
        }
    }

    private static String queryText(int query)
    {
        String resource = String.format(Locale.ROOT, "tpch/q%02d.sql", query);
        try (InputStream in = TestTpch.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** The specification's types: keys bigint, integers int, money and quantities decimal(12,2), dates date. */
    private static String hiveType(TpchColumn<?> column)
    {
        return switch (column.getType().getBase()) {
            case IDENTIFIER -> "bigint";
            case INTEGER -> "int";
            case DOUBLE -> "decimal(12,2)";
            case DATE -> "date";
            case VARCHAR -> "string";
        };
    }

    private static <E extends TpchEntity> void writeParquet(TpchTable<E> table, int part, int parts, Path file)
            throws IOException
    {
        Types.MessageTypeBuilder builder = Types.buildMessage();
        for (TpchColumn<E> column : table.getColumns()) {
            String name = column.getColumnName();
            switch (column.getType().getBase()) {
                case IDENTIFIER -> builder.required(PrimitiveTypeName.INT64).named(name);
                case INTEGER -> builder.required(PrimitiveTypeName.INT32).named(name);
                case DOUBLE -> builder.required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.decimalType(2, 12)).named(name);
                case DATE -> builder.required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
                case VARCHAR -> builder.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
            }
        }
        MessageType schema = builder.named(table.getTableName());
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        List<TpchColumn<E>> columns = table.getColumns();
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build()) {
            for (E entity : table.createGenerator(SCALE_FACTOR, part, parts)) {
                Group group = groups.newGroup();
                for (int i = 0; i < columns.size(); i++) {
                    TpchColumn<E> column = columns.get(i);
                    switch (column.getType().getBase()) {
                        case IDENTIFIER -> group.add(i, column.getIdentifier(entity));
                        case INTEGER -> group.add(i, column.getInteger(entity));
                        case DOUBLE -> group.add(i, Math.round(column.getDouble(entity) * 100));
                        case DATE -> group.add(i, column.getDate(entity));
                        case VARCHAR -> group.add(i, column.getString(entity));
                    }
                }
                writer.write(group);
            }
        }
    }
}
