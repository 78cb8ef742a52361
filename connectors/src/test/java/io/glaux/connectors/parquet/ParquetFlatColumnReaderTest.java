package io.glaux.connectors.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * {@link FlatColumnReader} against parquet-column's {@code ColumnReader} path on the same files
 * (differential): every conversion it handles, data pages v1 and v2, dictionary pages followed by
 * plain pages once the dictionary grew too big, pages all NULL, never NULL and mixed, required and
 * optional columns, batches not aligned with pages; the DELTA encodings and BYTE_STREAM_SPLIT of v2
 * files written by parquet-java and by DuckDB; row selections from the column index.
 */
class ParquetFlatColumnReaderTest
        extends ParquetTestBase
{
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message flat {
              required int64 id;
              required int32 req;
              required binary req_s (STRING);
              optional boolean b;
              optional int32 i8 (INTEGER(8,true));
              optional int32 i16 (INTEGER(16,true));
              optional int32 i32;
              optional int32 i32_big;
              optional int32 i32_double;
              optional int32 u8 (INTEGER(8,false));
              optional int32 u32 (INTEGER(32,false));
              optional int32 u32_double (INTEGER(32,false));
              optional int64 i64;
              optional int64 i64_int;
              optional int64 i64_double;
              optional int64 u64 (INTEGER(64,false));
              optional int64 u64_double (INTEGER(64,false));
              optional int32 dt (DATE);
              optional int64 ts_ms (TIMESTAMP(MILLIS,true));
              optional int64 ts_us (TIMESTAMP(MICROS,false));
              optional int64 ts_ns (TIMESTAMP(NANOS,true));
              optional int96 ts96;
              optional float f;
              optional float f_double;
              optional double d;
              optional binary s (STRING);
              optional binary cat (STRING);
              optional binary bin;
              optional fixed_len_byte_array(3) fixed;
              optional int32 dec9 (DECIMAL(9,2));
              optional int64 dec18 (DECIMAL(18,4));
              optional binary blocks (STRING);
              optional int64 all_null;
            }
            """);

    private static final List<ColumnHandle> COLUMNS = columns(
            "id bigint", "req integer", "req_s varchar", "b boolean", "i8 tinyint", "i16 smallint", "i32 integer", "i32_big bigint",
            "i32_double double", "u8 tinyint", "u32 bigint", "u32_double double", "i64 bigint", "i64_int integer", "i64_double double",
            "u64 bigint", "u64_double double", "dt date", "ts_ms timestamp(3)", "ts_us timestamp(6)", "ts_ns timestamp(9)",
            "ts96 timestamp(6)", "f real", "f_double double", "d double", "s varchar", "cat varchar", "bin varbinary",
            "fixed varbinary", "dec9 decimal(9,2)", "dec18 decimal(18,4)", "blocks varchar", "all_null bigint");

    private static final int ROWS = 5_000;

    static Stream<Arguments> layouts()
    {
        List<Arguments> arguments = new ArrayList<>();
        for (WriterVersion version : WriterVersion.values()) {
            for (boolean dictionary : List.of(true, false)) {
                arguments.add(Arguments.of(version, dictionary));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void sameRowsAsColumnReader(WriterVersion version, boolean dictionary)
    {
        Path file = write("flat-" + version + "-" + dictionary + ".parquet", version, dictionary, id -> row(id, false));
        int rowGroups = ParquetTestFiles.footer(file).getBlocks().size();
        assertThat(rowGroups).isGreaterThan(1);
        boolean v1 = version == WriterVersion.PARQUET_1_0;
        if (dictionary && v1) {
            // the high-cardinality columns start with a dictionary and fall back to plain pages in the same chunk
            assertThat(column(file, "s").getEncodings()).contains(Encoding.PLAIN, Encoding.valueOf("PLAIN_DICTIONARY"));
            assertThat(column(file, "i64").getEncodings()).contains(Encoding.PLAIN, Encoding.valueOf("PLAIN_DICTIONARY"));
        }
        if (!v1) {
            // parquet-java's v2 pages: DELTA_BINARY_PACKED integers, DELTA_BYTE_ARRAY binary (after the dictionary, if any, grew too big)
            assertThat(column(file, "i64").getEncodings()).contains(Encoding.DELTA_BINARY_PACKED);
            assertThat(column(file, "s").getEncodings()).contains(Encoding.DELTA_BYTE_ARRAY);
            assertThat(column(file, "fixed").getEncodings()).contains(dictionary ? Encoding.RLE_DICTIONARY : Encoding.DELTA_BYTE_ARRAY);
        }
        Split split = upload("flat/" + version + "-" + dictionary + ".parquet", file);
        List<List<Object>> expected = read(split, ParquetReaderOptions.defaults().withVectorized(false), COLUMNS).rows();
        assertThat(expected).hasSize(ROWS);
        for (int batchSize : List.of(1, 333, 1_000, 8_192)) {
            if (batchSize == 1 && !(version == WriterVersion.PARQUET_2_0 && dictionary)) {
                // one row per batch is slow: once is enough
                continue;
            }
            Result vectorized = read(split, ParquetReaderOptions.defaults().withBatchSize(batchSize), COLUMNS);
            assertThat(vectorized.vectorizedChunks()).as("batch size %d", batchSize).isEqualTo(COLUMNS.size() * rowGroups);
            assertThat(vectorized.rows()).as("batch size %d", batchSize).isEqualTo(expected);
        }
        // chunks cut over several GETs' buffers: their pages are read from a copy joining the pieces
        Result cut = read(split, ParquetReaderOptions.defaults().withMaxMergeGap(0).withMaxRequestSize(4096), COLUMNS);
        assertThat(cut.vectorizedChunks()).isEqualTo(COLUMNS.size() * rowGroups);
        assertThat(cut.rows()).isEqualTo(expected);
    }

    /**
     * Varchar columns asked for as dictionary ids give the same values as when read as values: a chunk all
     * dictionary-encoded (ids, NULLs as negative ids, the vector all NULL), a chunk whose dictionary grew too
     * big (batches reaching its PLAIN/DELTA pages carry values, including the rows read as ids before them
     * in the batch), no dictionary at all (values), a required column, pages of NULLs.
     */
    @ParameterizedTest
    @MethodSource("layouts")
    void dictionaryIdsGiveTheSameValues(WriterVersion version, boolean dictionary)
    {
        Path file = write("flat-ids-" + version + "-" + dictionary + ".parquet", version, dictionary, id -> row(id, false));
        Split split = upload("flat/ids-" + version + "-" + dictionary + ".parquet", file);
        List<ColumnHandle> columns = columns("id bigint", "s varchar", "cat varchar", "req_s varchar", "blocks varchar", "bin varbinary");
        List<List<Object>> expected = read(split, ParquetReaderOptions.defaults().withVectorized(false), columns).rows();
        for (int batchSize : List.of(333, 1_000, 8_192)) {
            long[] batchesAsIds = new long[1];
            List<List<Object>> rows = readWithIds(split, ParquetReaderOptions.defaults().withBatchSize(batchSize), columns, batchesAsIds);
            assertThat(rows).as("batch size %d", batchSize).isEqualTo(expected);
            if (dictionary) {
                assertThat(batchesAsIds[0]).as("batch size %d", batchSize).isPositive();
            }
            else {
                assertThat(batchesAsIds[0]).isZero();
            }
        }
    }

    /** Reads with every varchar column asked for as dictionary ids, turning the ids back into values. */
    private List<List<Object>> readWithIds(Split split, ParquetReaderOptions options, List<ColumnHandle> columns, long[] batchesAsIds)
    {
        List<List<Object>> rows = new ArrayList<>();
        try (ParquetPageSource source = new ParquetPageSourceFactory(store, options).create(split, columns, TupleDomain.all(), allocator)) {
            for (int i = 0; i < columns.size(); i++) {
                assertThat(source.requestDictionaryIds(i)).isEqualTo(columns.get(i).type() instanceof io.glaux.spi.type.Type.Varchar);
            }
            while (true) {
                try (VectorSchemaRoot root = source.nextBatch()) {
                    if (root == null) {
                        break;
                    }
                    List<List<Object>> batch = CanonicalValues.rows(root);
                    for (int i = 0; i < columns.size(); i++) {
                        io.glaux.connectors.format.DictionaryIds ids = source.dictionaryIds(i);
                        if (ids == null) {
                            continue;
                        }
                        assertThat(ids.rows()).isEqualTo(root.getRowCount());
                        assertThat(root.getVector(i).getNullCount()).isEqualTo(root.getRowCount());
                        for (int r = 0; r < ids.rows(); r++) {
                            int id = ids.ids()[r];
                            int[] offsets = ids.dictionary().offsets();
                            batch.get(r).set(i, id < 0 ? null : new String(ids.dictionary().bytes(), offsets[id], offsets[id + 1] - offsets[id], StandardCharsets.UTF_8));
                        }
                    }
                    rows.addAll(batch);
                }
            }
            batchesAsIds[0] = source.batchesAsIds();
            assertThat(source.requestDictionaryIds(1)).as("too late once reading started").isFalse();
        }
        return rows;
    }

    @Test
    void valuesMatchWhatWasWritten()
    {
        Path file = write("flat-values.parquet", WriterVersion.PARQUET_2_0, true, id -> row(id, false));
        Split split = upload("flat/values.parquet", file);
        List<List<Object>> rows = read(split, ParquetReaderOptions.defaults(), columns("id bigint", "i32 integer", "s varchar", "u64_double double", "ts96 timestamp(6)", "blocks varchar", "all_null bigint")).rows();
        assertThat(rows.get(0)).containsExactly(0L, 0L, "value-0", 0.0, CanonicalValues.micros(1_700_000_000_000_000L), null, null);
        assertThat(rows.get(3)).containsExactly(3L, null, null, null, null, null, null);
        List<Object> row1234 = rows.get(1234);
        assertThat(row1234.get(1)).isEqualTo(1234L * 7919);
        assertThat(row1234.get(2)).isEqualTo("value-" + 1234L * 104729);
        assertThat(row1234.get(3)).isEqualTo(1234.0 * 1_000_000_007L);
        assertThat(rows.get(1235).get(3)).isEqualTo(new java.math.BigDecimal(Long.toUnsignedString(-1235L)).doubleValue());
        assertThat(row1234.get(5)).isEqualTo("block-1234");
    }

    private static final MessageType DELTA_SCHEMA = MessageTypeParser.parseMessageType("""
            message delta {
              required int64 id;
              optional int64 big;
              optional int32 small;
              optional int64 steady;
              optional binary s (STRING);
              optional binary raw;
              optional fixed_len_byte_array(5) fixed;
              optional float f;
              optional double d;
              optional int32 dec (DECIMAL(9,2));
              optional int64 ts (TIMESTAMP(MILLIS,true));
            }
            """);

    private static final List<ColumnHandle> DELTA_COLUMNS = columns("id bigint", "big bigint", "small integer", "steady bigint", "s varchar",
            "raw varbinary", "fixed varbinary", "f real", "d double", "dec decimal(9,2)", "ts timestamp(3)");

    /**
     * parquet-java's v2 pages without dictionaries: DELTA_BINARY_PACKED (64-bit wide miniblocks from
     * extreme values, constant runs of width 0), DELTA_BYTE_ARRAY (empty, long and prefix-sharing
     * strings, random bytes, fixed-length values), BYTE_STREAM_SPLIT floats and doubles; pages of 1,000
     * rows, so miniblocks of 32 values straddle batches of every size tried.
     */
    @ParameterizedTest
    @MethodSource("booleans")
    void deltaEncodingsFromParquetJava(boolean byteStreamSplit)
    {
        int rows = 10_000;
        Path file = ParquetTestFiles.write(directory, DELTA_SCHEMA, ParquetTestFiles.WriteOptions.defaults()
                .withVersion(WriterVersion.PARQUET_2_0).withDictionary(false).withByteStreamSplit(byteStreamSplit)
                .withRowGroupRows(4_000).withPageRows(1_000), writer -> {
                    for (long id = 0; id < rows; id++) {
                        writer.write(deltaRow(id));
                    }
                });
        assertThat(column(file, "big").getEncodings()).contains(Encoding.DELTA_BINARY_PACKED);
        assertThat(column(file, "s").getEncodings()).contains(Encoding.DELTA_BYTE_ARRAY);
        assertThat(column(file, "fixed").getEncodings()).contains(Encoding.DELTA_BYTE_ARRAY);
        assertThat(column(file, "d").getEncodings()).contains(byteStreamSplit ? Encoding.BYTE_STREAM_SPLIT : Encoding.PLAIN);
        int rowGroups = ParquetTestFiles.footer(file).getBlocks().size();
        Split split = upload("flat/delta-" + byteStreamSplit + ".parquet", file);
        List<List<Object>> expected = read(split, ParquetReaderOptions.defaults().withVectorized(false), DELTA_COLUMNS).rows();
        assertThat(expected).hasSize(rows);
        assertThat(expected.get(0).subList(0, 4)).containsExactly(0L, Long.MIN_VALUE, (long) Integer.MIN_VALUE, 42L);
        assertThat(expected.get(1).subList(0, 5)).containsExactly(1L, Long.MAX_VALUE, (long) Integer.MAX_VALUE, 42L, "");
        assertThat(expected.get(2).get(4)).isEqualTo("x".repeat(10_002));
        for (int batchSize : List.of(1, 100, 1_000, 8_192)) {
            if (batchSize == 1 && byteStreamSplit) {
                continue;
            }
            Result vectorized = read(split, ParquetReaderOptions.defaults().withBatchSize(batchSize), DELTA_COLUMNS);
            assertThat(vectorized.vectorizedChunks()).as("batch size %d", batchSize).isEqualTo(DELTA_COLUMNS.size() * rowGroups);
            assertThat(vectorized.rows()).as("batch size %d", batchSize).isEqualTo(expected);
        }
    }

    static Stream<Boolean> booleans()
    {
        return Stream.of(false, true);
    }

    private static Group deltaRow(long id)
    {
        java.util.Random random = new java.util.Random(id);
        Group group = new SimpleGroupFactory(DELTA_SCHEMA).newGroup().append("id", id);
        switch ((int) (id % 4)) {
            case 0 -> group.append("big", Long.MIN_VALUE);
            case 1 -> group.append("big", Long.MAX_VALUE);
            case 2 -> group.append("big", random.nextLong());
            default -> {
                if (id % 8 != 3) {
                    group.append("big", -id);
                }
            }
        }
        if (id % 5 != 4) {
            group.append("small", switch ((int) (id % 3)) {
                case 0 -> Integer.MIN_VALUE;
                case 1 -> Integer.MAX_VALUE;
                default -> random.nextInt();
            });
        }
        if (id % 97 != 50) {
            group.append("steady", id < 3_000 ? 42 : id * 3);
        }
        switch ((int) (id % 11)) {
            case 0 -> { }
            case 1 -> group.append("s", "");
            case 2 -> group.append("s", "x".repeat(10_000 + (int) (id % 7)));
            default -> group.append("s", "prefix/shared/" + id / 3 + "/" + id);
        }
        if (id % 13 != 0) {
            byte[] raw = new byte[(int) (id % 20)];
            random.nextBytes(raw);
            group.append("raw", Binary.fromConstantByteArray(raw));
            byte[] fixed = new byte[5];
            random.nextBytes(fixed);
            group.append("fixed", Binary.fromConstantByteArray(fixed));
        }
        if (id % 6 != 0) {
            group.append("f", switch ((int) (id % 4)) {
                case 0 -> Float.MAX_VALUE;
                case 1 -> -0.0f;
                default -> random.nextFloat() * 1e6f - 5e5f;
            });
            group.append("d", id % 4 == 0 ? Double.MIN_VALUE : random.nextGaussian() * 1e12);
            group.append("dec", random.nextInt(-999_999_999, 1_000_000_000));
            group.append("ts", random.nextLong(-1_000_000_000_000_000L, 1_000_000_000_000_000L) / 1000);
        }
        return group;
    }

    /**
     * DuckDB's v2 files: DELTA_BINARY_PACKED integers, dates, timestamps and decimals,
     * DELTA_LENGTH_BYTE_ARRAY strings, BYTE_STREAM_SPLIT floats and doubles (where its dictionaries do
     * not pay off), against the {@code ColumnReader} path and DuckDB reading the same file.
     */
    @Test
    void deltaEncodingsFromDuckDb()
    {
        Path file = newFile("flat-duckdb-v2.parquet");
        duckdb.copy("""
                SELECT i AS id,
                  CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN -2147483648 WHEN i % 5 = 2 THEN 2147483647 ELSE (i * 7919 % 100003)::INTEGER END AS i32,
                  CASE WHEN i % 7 = 0 THEN NULL WHEN i % 7 = 1 THEN -9223372036854775808 WHEN i % 7 = 2 THEN 9223372036854775807
                    ELSE i * 1000000007 - 3000000000 END AS big,
                  CASE WHEN i % 11 = 0 THEN NULL WHEN i % 11 = 1 THEN '' WHEN i % 11 = 2 THEN repeat('x', 5000 + i % 13)
                    ELSE 'prefix/' || (i // 3) || '/' || i END AS s,
                  CASE WHEN i % 6 = 0 THEN NULL ELSE i / 7.0 END AS d,
                  (i * 31 % 100000 / 3.0)::FLOAT AS f,
                  TIMESTAMP '2024-01-01' + to_seconds(i * 37) AS ts,
                  DATE '2020-01-01' + (i * 13 % 30000)::INTEGER AS dt,
                  (i * 12.345)::DECIMAL(18,3) AS dec
                FROM range(0, 30000) t(i)
                """, file, "PARQUET_VERSION v2, ROW_GROUP_SIZE 10000");
        Set<Encoding> encodings = new HashSet<>();
        int rowGroups = ParquetTestFiles.footer(file).getBlocks().size();
        for (var block : ParquetTestFiles.footer(file).getBlocks()) {
            for (ColumnChunkMetaData chunk : block.getColumns()) {
                encodings.addAll(chunk.getEncodings());
            }
        }
        assertThat(encodings).contains(Encoding.DELTA_BINARY_PACKED, Encoding.DELTA_LENGTH_BYTE_ARRAY, Encoding.BYTE_STREAM_SPLIT);
        List<ColumnHandle> columns = columns("id bigint", "i32 integer", "big bigint", "s varchar", "d double", "f real", "ts timestamp(6)", "dt date", "dec decimal(18,3)");
        Split split = upload("flat/duckdb-v2.parquet", file);
        List<List<Object>> expected = read(split, ParquetReaderOptions.defaults().withVectorized(false), columns).rows();
        List<List<Object>> oracle = new ArrayList<>();
        for (List<Object> row : duckdb.query("SELECT id, i32, big, s, d, f, epoch_us(ts), dt, dec FROM read_parquet('%s')".formatted(file))) {
            List<Object> canonical = new ArrayList<>(row);
            canonical.set(6, CanonicalValues.micros((Long) row.get(6)));
            oracle.add(canonical);
        }
        assertThat(expected).isEqualTo(oracle);
        for (int batchSize : List.of(100, 1_000, 8_192)) {
            Result vectorized = read(split, ParquetReaderOptions.defaults().withBatchSize(batchSize), columns);
            assertThat(vectorized.vectorizedChunks()).as("batch size %d", batchSize).isEqualTo(columns.size() * rowGroups);
            assertThat(vectorized.rows()).as("batch size %d", batchSize).isEqualTo(expected);
        }
    }

    /**
     * Pages skipped by the column index: the vectorized reader is given the selected rows and the pages
     * holding them, skips the rows of those pages outside the selection (PLAIN, dictionary and DELTA
     * values, with and without NULLs) and reads the same rows as parquet-java's synchronizing reader.
     */
    @ParameterizedTest
    @MethodSource("layouts")
    void rowSelectionFromColumnIndex(WriterVersion version, boolean dictionary)
    {
        // pages of at most 300 rows and 256 bytes: each column's pages hold a different number of rows
        Path file = write("flat-selected-" + version + "-" + dictionary + ".parquet", version, dictionary, 300, 256, id -> row(id, false));
        int rowGroups = ParquetTestFiles.footer(file).getBlocks().size();
        assertThat(pageStarts(file, "id")).isNotEqualTo(pageStarts(file, "s")).isNotEqualTo(pageStarts(file, "d"));
        Split split = upload("flat/selected-" + version + "-" + dictionary + ".parquet", file);
        // the selection (whole pages of id) starts and ends inside the other columns' pages
        TupleDomain ids = domain("id", new io.glaux.connectors.predicate.Domain(List.of(
                new io.glaux.connectors.predicate.Range(250L, true, 420L, true),
                new io.glaux.connectors.predicate.Range(1_000L, true, 1_001L, true),
                new io.glaux.connectors.predicate.Range(2_150L, true, 2_900L, false),
                new io.glaux.connectors.predicate.Range(4_990L, true, 6_000L, true)), false));
        ParquetPageSourceFactory perValue = new ParquetPageSourceFactory(store, ParquetReaderOptions.defaults().withVectorized(false));
        Scan expected = scan(perValue, split, COLUMNS, ids);
        assertThat(expected.pagesSkipped()).isPositive();
        for (int batchSize : List.of(7, 1_000)) {
            ParquetReaderOptions options = ParquetReaderOptions.defaults().withBatchSize(batchSize);
            try (ParquetPageSource source = new ParquetPageSourceFactory(store, options).create(split, COLUMNS, ids, allocator)) {
                List<List<Object>> rows = new ArrayList<>();
                while (true) {
                    try (VectorSchemaRoot root = source.nextBatch()) {
                        if (root == null) {
                            break;
                        }
                        rows.addAll(CanonicalValues.rows(root));
                    }
                }
                assertThat(rows).as("batch size %d", batchSize).isEqualTo(expected.rows());
                assertThat(source.pagesSkipped()).isEqualTo(expected.pagesSkipped());
                assertThat(source.vectorizedChunks()).isEqualTo(COLUMNS.size() * source.rowGroupsRead()).isPositive();
                assertThat(source.rowGroupsRead()).isLessThanOrEqualTo(rowGroups);
            }
        }
    }

    @Test
    void requiredColumnsOnlyAndNarrowingErrors()
    {
        Path file = write("flat-errors.parquet", WriterVersion.PARQUET_1_0, true, id -> row(id, id == 4));
        Split split = upload("flat/errors.parquet", file);
        List<ColumnHandle> required = columns("id bigint", "req integer", "req_s varchar");
        Result result = read(split, ParquetReaderOptions.defaults().withBatchSize(777), required);
        assertThat(result.vectorizedChunks()).isEqualTo(3 * ParquetTestFiles.footer(file).getBlocks().size());
        assertThat(result.rows()).isEqualTo(read(split, ParquetReaderOptions.defaults().withVectorized(false), required).rows());

        // the same BAD_DATA message on both paths
        List<ColumnHandle> narrowed = columns("i64 smallint");
        String vectorized = errorMessage(split, ParquetReaderOptions.defaults(), narrowed);
        String perValue = errorMessage(split, ParquetReaderOptions.defaults().withVectorized(false), narrowed);
        assertThat(vectorized).isEqualTo(perValue).contains("is out of range for smallint");
        List<ColumnHandle> unsigned = columns("u64 bigint");
        assertThat(errorMessage(split, ParquetReaderOptions.defaults(), unsigned))
                .isEqualTo(errorMessage(split, ParquetReaderOptions.defaults().withVectorized(false), unsigned))
                .contains("18446744073709551615");
    }

    private String errorMessage(Split split, ParquetReaderOptions options, List<ColumnHandle> columns)
    {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> read(split, options, columns))
                .isInstanceOf(GlauxException.class)
                .satisfies(e -> thrown[0] = e);
        return thrown[0].getMessage();
    }

    /**
     * Row {@code id}: NULLs in different patterns per column, a page-sized run of NULLs in {@code blocks};
     * with {@code badUnsigned} a UINT64 value above Long.MAX_VALUE in {@code u64}.
     */
    private static Group row(long id, boolean badUnsigned)
    {
        Group group = new SimpleGroupFactory(SCHEMA).newGroup()
                .append("id", id)
                .append("req", (int) (id * 31 % 1000))
                .append("req_s", "r" + id % 13);
        if (id % 3 != 0) {
            // a third of the rows: NULL in most optional columns
            group.append("b", id % 5 == 1)
                    .append("i8", (int) (id % 256 - 128))
                    .append("i16", (int) (id * 17 % 65536 - 32768))
                    .append("i32_big", (int) (id * -104729))
                    .append("i32_double", (int) (id * 3 - 7000))
                    .append("u8", (int) (id % 128))
                    .append("u32", (int) (id * 2654435761L))
                    .append("u32_double", (int) (-id))
                    .append("i64", (id < 600 ? id % 10 : id) * 1_000_000_007L - 3_000_000_000L)
                    .append("i64_int", id * 1000 - 2_000_000)
                    .append("i64_double", id * 123_456_789_011L)
                    .append("dt", (int) (id % 2000 - 1000))
                    .append("ts_ms", 1_600_000_000_000L + id * 1001)
                    .append("ts_ns", -1_000_000_000_007L * id)
                    .append("f", (float) (id / 3.0))
                    .append("f_double", id % 10 / 4.0f)
                    .append("d", id % 100 / 7.0)
                    .append("cat", "cat-" + id % 10)
                    .append("bin", Binary.fromConstantByteArray(("blob" + id).getBytes(StandardCharsets.UTF_8)))
                    .append("fixed", Binary.fromConstantByteArray(new byte[] {(byte) id, (byte) (id >> 8), (byte) 0xFF}))
                    .append("dec9", (int) (id * 12345 - 30_000_000))
                    .append("dec18", id * 987_654_321_987L);
        }
        if (id % 5 != 3) {
            group.append("u64", badUnsigned ? -1L : id * 1_000_000_007L)
                    .append("u64_double", id % 2 == 0 ? id * 1_000_000_007L : -id)
                    .append("ts_us", 1_700_000_000_000_000L + id * 999_999);
        }
        if (id % 7 != 3) {
            group.append("i32", (int) (id * 7919))
                    .append("s", id % 2 == 0 ? "value-" + (id < 600 ? id % 10 : id) * 104729 : "")
                    .append("ts96", int96(1_700_000_000_000_000L + id * 1_000_001));
        }
        if ((id / 1000) % 3 == 1) {
            // whole pages of values, whole pages of NULLs, and mixed pages where the runs change
            group.append("blocks", "block-" + id);
        }
        return group;
    }

    /** An INT96 timestamp for {@code micros} since the epoch. */
    private static Binary int96(long micros)
    {
        long day = Math.floorDiv(micros, 86_400_000_000L);
        long nanosOfDay = Math.floorMod(micros, 86_400_000_000L) * 1000;
        ByteBuffer bytes = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(nanosOfDay).putInt((int) (day + 2_440_588));
        return Binary.fromConstantByteArray(bytes.array());
    }

    private Path write(String name, WriterVersion version, boolean dictionary, LongFunction<Group> rows)
    {
        return write(name, version, dictionary, 300, 1024 * 1024, rows);
    }

    private Path write(String name, WriterVersion version, boolean dictionary, int pageRows, int pageBytes, LongFunction<Group> rows)
    {
        Path file = newFile(name);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(SCHEMA)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriterVersion(version)
                .withRowGroupRowCountLimit(2_200)
                .withPageRowCountLimit(pageRows)
                .withPageSize(pageBytes)
                .withMinRowCountForPageSizeCheck(1)
                .withDictionaryEncoding(dictionary)
                .withDictionaryPageSize(2_048)
                .build()) {
            for (long id = 0; id < ROWS; id++) {
                writer.write(rows.apply(id));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static ColumnChunkMetaData column(Path file, String name)
    {
        Set<String> seen = new HashSet<>();
        for (ColumnChunkMetaData chunk : ParquetTestFiles.footer(file).getBlocks().getFirst().getColumns()) {
            seen.add(chunk.getPath().toDotString());
            if (chunk.getPath().toDotString().equals(name)) {
                return chunk;
            }
        }
        throw new IllegalArgumentException(name + " not in " + seen);
    }

    /** The first row index of each page of the first row group's chunk of {@code name}. */
    private static List<Long> pageStarts(Path file, String name)
    {
        try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(new org.apache.parquet.io.LocalInputFile(file))) {
            org.apache.parquet.internal.column.columnindex.OffsetIndex index = reader.readOffsetIndex(column(file, name));
            List<Long> starts = new ArrayList<>();
            for (int page = 0; page < index.getPageCount(); page++) {
                starts.add(index.getFirstRowIndex(page));
            }
            return starts;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Result(List<List<Object>> rows, int vectorizedChunks) {}

    private Result read(Split split, ParquetReaderOptions options, List<ColumnHandle> columns)
    {
        List<List<Object>> rows = new ArrayList<>();
        try (ParquetPageSource source = new ParquetPageSourceFactory(store, options).create(split, columns, TupleDomain.all(), allocator)) {
            while (true) {
                try (VectorSchemaRoot root = source.nextBatch()) {
                    if (root == null) {
                        break;
                    }
                    assertThat(root.getRowCount()).isLessThanOrEqualTo(options.batchSize());
                    rows.addAll(CanonicalValues.rows(root));
                }
            }
            return new Result(rows, source.vectorizedChunks());
        }
    }
}
