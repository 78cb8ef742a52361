package io.glaux.benchmark;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.FormatRegistry;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectInfo;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.ObjectStoreConfig;
import io.glaux.connectors.split.Split;
import io.glaux.launcher.demo.AccessLogGenerator;
import io.glaux.launcher.demo.DemoDataset;
import io.glaux.launcher.objectstore.EmbeddedObjectStore;
import io.glaux.spi.type.Type;
import io.glaux.spi.type.TypeParser;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decode throughput per core: Glaux's format readers against DuckDB on the same files, one thread each.
 *
 * <p>The demo's access-log rows are generated once as Parquet (snappy, by parquet-java), and DuckDB
 * copies them to JSON lines and CSV, plain and gzip. The files go into an S3Proxy object store and stay
 * on local disk. Glaux reads each object through the format's {@link PageSourceFactory} into Arrow
 * batches (all columns, then two), on the calling thread: decoding only, no query engine. DuckDB, with
 * {@code SET threads = 1}, reads the local files with a query that must decode every selected value:
 * {@code bit_xor(hash(column))} per column (see benchmark/README.md for why). Each measurement runs
 * {@code --warmup} times untimed, then {@code --runs} times; medians are compared.
 */
final class DecodeBenchmark
{
    private static final String BUCKET = "decode-bench";
    private static final List<String> TWO_COLUMNS = List.of("status", "bytes");

    private static final List<String> FORMATS = List.of("parquet", "parquet-v2", "json", "json.gz", "csv", "csv.gz");

    private final int rows;
    private final int runs;
    private final int warmup;
    private final List<String> formats;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private DecodeBenchmark(int rows, int runs, int warmup, List<String> formats)
    {
        this.rows = rows;
        this.runs = runs;
        this.warmup = warmup;
        this.formats = List.copyOf(formats);
    }

    /** A file in one format: where it lies, how Glaux and DuckDB read it. */
    private record Input(String label, String key, Path file, String glauxFormat, Map<String, String> properties, long textBytes)
    {
        Input
        {
            requireNonNull(label, "label is null");
            requireNonNull(key, "key is null");
            requireNonNull(file, "file is null");
            requireNonNull(glauxFormat, "glauxFormat is null");
            properties = Map.copyOf(properties);
        }
    }

    /** Medians of timed runs: wall time, and CPU time of the calling thread (where both decode). */
    private record Timing(double millis, double threadCpuMillis) {}

    static void main(List<String> args)
            throws Exception
    {
        int rows = 1_000_000;
        int runs = 5;
        int warmup = 2;
        List<String> formats = FORMATS;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--rows" -> rows = Integer.parseInt(args.get(++i));
                case "--runs" -> runs = Integer.parseInt(args.get(++i));
                case "--warmup" -> warmup = Integer.parseInt(args.get(++i));
                case "--formats" -> formats = List.of(args.get(++i).split(","));
                default -> throw new IllegalArgumentException("unknown option " + args.get(i)
                        + " (decode options: --rows N --runs N --warmup N --formats " + String.join(",", FORMATS) + ")");
            }
        }
        if (rows < 1 || runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("--rows and --runs must be positive, --warmup not negative");
        }
        if (!FORMATS.containsAll(formats)) {
            throw new IllegalArgumentException("--formats takes some of " + String.join(",", FORMATS) + ", not " + String.join(",", formats));
        }
        new DecodeBenchmark(rows, runs, warmup, formats).run();
    }

    private void run()
            throws Exception
    {
        Path dir = Files.createTempDirectory("glaux-decode-bench");
        List<ColumnHandle> allColumns = columns();
        List<ColumnHandle> twoColumns = allColumns.stream().filter(column -> TWO_COLUMNS.contains(column.name())).toList();
        System.out.printf("Generating %,d access-log rows in %s ...%n", rows, dir);
        List<Input> inputs;
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
            inputs = generate(dir.resolve("files"), duckdb, allColumns).stream()
                    .filter(input -> formats.contains(input.key().substring("access.".length())))
                    .toList();
        }
        try (EmbeddedObjectStore s3 = EmbeddedObjectStore.start(dir.resolve("s3"), 0, "bench-access", "bench-secret-key");
                ObjectStore store = new ObjectStore(ObjectStoreConfig.of(s3.endpoint(), "bench-access", "bench-secret-key"));
                BufferAllocator allocator = new RootAllocator();
                Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
            store.createBucketIfMissing(BUCKET);
            for (Input input : inputs) {
                store.put(BUCKET, input.key(), input.file());
            }
            try (Statement statement = duckdb.createStatement()) {
                statement.execute("SET threads = 1");
            }
            FormatRegistry registry = FormatRegistry.standard(store);
            for (Input input : inputs) {
                check(input, registry, store, allocator, duckdb, allColumns);
            }
            System.out.printf("Rows: %,d; one thread each; median of %d runs after %d warm-up runs. Files:%n", rows, runs, warmup);
            for (Input input : inputs) {
                System.out.printf(Locale.ROOT, "  %-16s %8.1f MB%s%n", input.label(), Files.size(input.file()) / 1e6,
                        input.textBytes() > 0 ? String.format(Locale.ROOT, " (%.1f MB of text)", input.textBytes() / 1e6) : "");
            }
            double overhead = checksumOverhead(duckdb, dir.resolve("files/access.parquet"), allColumns);
            System.out.printf(Locale.ROOT, "DuckDB's checksum query over an in-memory copy of the table (its cost beyond decoding): %.1f ms%n%n", overhead);
            System.out.printf("%-16s %-13s %13s %13s %7s %13s %13s %7s %8s%n", "format", "columns",
                    "glaux rows/s", "duckdb rows/s", "ratio", "glaux cpu", "duckdb cpu", "ratio", "glaux");
            System.out.printf("%-16s %-13s %13s %13s %7s %13s %13s %7s %8s%n", "", "", "(wall)", "(wall)", "(wall)", "rows/s", "rows/s", "(cpu)", "MB/s");
            for (Input input : inputs) {
                for (List<ColumnHandle> columns : List.of(allColumns, twoColumns)) {
                    PageSourceFactory factory = registry.factory(input.glauxFormat(), input.properties());
                    Split split = split(store, input);
                    Timing glaux = median(() -> decode(factory, split, columns, allocator));
                    String sql = duckQuery(input, columns, allColumns);
                    Timing duck = median(() -> query(duckdb, sql).getFirst());
                    long bytes = input.textBytes() > 0 ? input.textBytes() : Files.size(input.file());
                    System.out.printf(Locale.ROOT, "%-16s %-13s %13s %13s %6.2fx %13s %13s %6.2fx %8.0f%n",
                            input.label(),
                            columns.size() == allColumns.size() ? "all " + allColumns.size() : String.join(",", TWO_COLUMNS),
                            perSecond(glaux.millis()),
                            perSecond(duck.millis()),
                            duck.millis() / glaux.millis(),
                            perSecond(glaux.threadCpuMillis()),
                            perSecond(duck.threadCpuMillis()),
                            duck.threadCpuMillis() / glaux.threadCpuMillis(),
                            bytes / 1e6 / (glaux.millis() / 1000));
                }
            }
            System.out.println("""

                    ratio = Glaux rows/s / DuckDB rows/s (higher is better for Glaux; 1.00x is parity). Glaux reads the
                    object from S3Proxy on loopback (ranged GETs, read ahead on another thread) and decodes on one
                    thread into Arrow batches; DuckDB (threads = 1) reads the local file on the calling thread.
                    cpu rows/s divide by the CPU time of that one thread (for Glaux without the object store's and
                    the read-ahead's threads), so they hold even when other processes share the cores. MB/s is of
                    the file for Parquet, of the decompressed text for JSON and CSV.""");
        }
        DemoDataset.deleteRecursively(dir);
    }

    // ------------------------------------------------------------------ data

    /** The demo table's data columns, as {@link AccessLogGenerator} declares them. */
    private static List<ColumnHandle> columns()
    {
        List<ColumnHandle> columns = new ArrayList<>();
        for (String definition : AccessLogGenerator.HIVE_COLUMNS.split(",\\s*")) {
            String[] parts = definition.trim().split("\\s+", 2);
            columns.add(new ColumnHandle(parts[0], TypeParser.parse(parts[1]), ColumnHandle.Kind.REGULAR));
        }
        return columns;
    }

    private List<Input> generate(Path dir, Connection duckdb, List<ColumnHandle> columns)
            throws Exception
    {
        AccessLogGenerator.GeneratedFile generated = AccessLogGenerator.generate(dir.resolve("generated"), DemoDataset.FIRST_DAY, 1, rows, 1, 42).getFirst();
        Path parquet = dir.resolve("access.parquet");
        Files.move(generated.path(), parquet);
        String names = columns.stream().map(ColumnHandle::name).collect(Collectors.joining(","));
        Map<String, String> textProperties = Map.of(TableFormats.COLUMNS, names);
        List<Input> inputs = new ArrayList<>();
        inputs.add(new Input("parquet (snappy)", "access.parquet", parquet, TableFormats.PARQUET, Map.of(), 0));
        String source = "SELECT * FROM read_parquet('" + parquet + "')";
        try (Statement statement = duckdb.createStatement()) {
            // the same rows as DuckDB writes Parquet v2: DELTA_* and BYTE_STREAM_SPLIT encodings, data pages v2
            Path parquetV2 = dir.resolve("access.parquet-v2");
            statement.execute("COPY (" + source + ") TO '" + parquetV2 + "' (FORMAT parquet, PARQUET_VERSION v2, COMPRESSION snappy)");
            inputs.add(new Input("parquet v2", "access.parquet-v2", parquetV2, TableFormats.PARQUET, Map.of(), 0));
            for (String suffix : List.of("json", "json.gz", "csv", "csv.gz")) {
                Path file = dir.resolve("access." + suffix);
                boolean json = suffix.startsWith("json");
                String options = (json ? "FORMAT json" : "FORMAT csv, HEADER false") + (suffix.endsWith(".gz") ? ", COMPRESSION gzip" : "");
                statement.execute("COPY (" + source + ") TO '" + file + "' (" + options + ")");
                // the plain file comes first: its size is the decompressed size of the gzip one
                long textBytes = Files.size(dir.resolve("access." + suffix.replace(".gz", "")));
                String label = (json ? "json lines" : "csv") + (suffix.endsWith(".gz") ? " gzip" : "");
                inputs.add(new Input(label, "access." + suffix, file, json ? TableFormats.JSON : TableFormats.CSV, textProperties, textBytes));
            }
        }
        return inputs;
    }

    private static Split split(ObjectStore store, Input input)
    {
        ObjectInfo info = store.head(BUCKET, input.key());
        return new Split(BUCKET, input.key(), 0, info.size(), info.size(), info.lastModifiedMillis(), Map.of());
    }

    // ------------------------------------------------------------------ Glaux

    /** Reads the whole split into Arrow batches; returns the row count. */
    private static long decode(PageSourceFactory factory, Split split, List<ColumnHandle> columns, BufferAllocator allocator)
    {
        long count = 0;
        try (PageSource source = factory.create(split, columns, TupleDomain.all(), allocator)) {
            while (true) {
                VectorSchemaRoot batch = source.nextBatch();
                if (batch == null) {
                    break;
                }
                try (batch) {
                    count += batch.getRowCount();
                }
            }
        }
        return count;
    }

    /**
     * Checks, untimed, that Glaux and DuckDB see the same rows in the file: the row count, the sum of
     * {@code bytes} and the number of non-empty referrers (a CSV field is never NULL for OpenCSVSerde).
     */
    private void check(Input input, FormatRegistry registry, ObjectStore store, BufferAllocator allocator, Connection duckdb, List<ColumnHandle> allColumns)
            throws SQLException
    {
        List<ColumnHandle> columns = allColumns.stream().filter(column -> column.name().equals("bytes") || column.name().equals("referrer")).toList();
        long glauxRows = 0;
        long glauxBytes = 0;
        long glauxReferrers = 0;
        try (PageSource source = registry.factory(input.glauxFormat(), input.properties()).create(split(store, input), columns, TupleDomain.all(), allocator)) {
            while (true) {
                VectorSchemaRoot batch = source.nextBatch();
                if (batch == null) {
                    break;
                }
                try (batch) {
                    BigIntVector bytes = (BigIntVector) batch.getVector("bytes");
                    for (int i = 0; i < batch.getRowCount(); i++) {
                        glauxBytes += bytes.isNull(i) ? 0 : bytes.get(i);
                    }
                    VarCharVector referrers = (VarCharVector) batch.getVector("referrer");
                    for (int i = 0; i < batch.getRowCount(); i++) {
                        glauxReferrers += referrers.isNull(i) || referrers.getValueLength(i) == 0 ? 0 : 1;
                    }
                    glauxRows += batch.getRowCount();
                }
            }
        }
        String sql = "SELECT count(*), coalesce(sum(bytes), 0), count(nullif(referrer, '')) FROM " + duckSource(input, allColumns);
        List<Long> expected = query(duckdb, sql);
        List<Long> actual = List.of(glauxRows, glauxBytes, glauxReferrers);
        if (!actual.equals(expected)) {
            throw new IllegalStateException("Glaux and DuckDB disagree on %s: rows, sum(bytes), count(referrer) = %s vs %s"
                    .formatted(input.label(), actual, expected));
        }
    }

    // ------------------------------------------------------------------ DuckDB

    /**
     * One aggregate per selected column that needs every value decoded: a hash reads every byte of a
     * string, and unlike min/max it cannot be answered from Parquet statistics.
     */
    private static String duckQuery(Input input, List<ColumnHandle> columns, List<ColumnHandle> allColumns)
    {
        String aggregates = columns.stream().map(column -> "bit_xor(hash(" + column.name() + "))").collect(Collectors.joining(", "));
        return "SELECT count(*), " + aggregates + " FROM " + duckSource(input, allColumns);
    }

    /** The table function reading the file with the table's column types. */
    private static String duckSource(Input input, List<ColumnHandle> allColumns)
    {
        String columns = allColumns.stream().map(column -> "'" + column.name() + "': '" + duckType(column.type()) + "'")
                .collect(Collectors.joining(", ", "{", "}"));
        return switch (input.glauxFormat()) {
            case TableFormats.PARQUET -> "read_parquet('" + input.file() + "')";
            case TableFormats.JSON -> "read_json('" + input.file() + "', format = 'newline_delimited', columns = " + columns + ")";
            case TableFormats.CSV -> "read_csv('" + input.file() + "', header = false, delim = ',', quote = '\"', escape = '\"', auto_detect = false, columns = " + columns + ")";
            default -> throw new IllegalArgumentException(input.glauxFormat());
        };
    }

    private static String duckType(Type type)
    {
        return switch (type) {
            case Type.Varchar _ -> "VARCHAR";
            case Type.Timestamp _ -> "TIMESTAMP";
            case Type.Primitive primitive -> switch (primitive.kind()) {
                case INTEGER -> "INTEGER";
                case BIGINT -> "BIGINT";
                case DOUBLE -> "DOUBLE";
                default -> throw new IllegalArgumentException("no DuckDB type for " + type.trinoName());
            };
            default -> throw new IllegalArgumentException("no DuckDB type for " + type.trinoName());
        };
    }

    /** How long DuckDB's all-columns checksum takes over an in-memory table (so without any decoding). */
    private double checksumOverhead(Connection duckdb, Path parquet, List<ColumnHandle> allColumns)
            throws Exception
    {
        try (Statement statement = duckdb.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE decoded AS SELECT * FROM read_parquet('" + parquet + "')");
        }
        String aggregates = allColumns.stream().map(column -> "bit_xor(hash(" + column.name() + "))").collect(Collectors.joining(", "));
        String sql = "SELECT count(*), " + aggregates + " FROM decoded";
        double millis = median(() -> query(duckdb, sql).getFirst()).millis();
        try (Statement statement = duckdb.createStatement()) {
            statement.execute("DROP TABLE decoded");
        }
        return millis;
    }

    /** The first row of a query's result, as longs. */
    private static List<Long> query(Connection connection, String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            List<Long> values = new ArrayList<>();
            for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                values.add(result.getLong(i));
            }
            return values;
        }
    }

    // ------------------------------------------------------------------ timing

    @FunctionalInterface
    private interface Work
    {
        long run()
                throws Exception;
    }

    private Timing median(Work work)
            throws Exception
    {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            work.run();
            wall[i] = (System.nanoTime() - start) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        }
        return new Timing(middle(wall), middle(cpu));
    }

    private String perSecond(double millis)
    {
        return String.format(Locale.ROOT, "%,.0f", rows / (millis / 1000));
    }

    private static double middle(double[] values)
    {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
