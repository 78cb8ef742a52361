package io.glaux.connectors.parquet;

import static io.glaux.connectors.format.ColumnHandle.Kind.HIDDEN;
import static io.glaux.connectors.format.ColumnHandle.Kind.PARTITION;
import static io.glaux.connectors.format.ColumnHandle.Kind.REGULAR;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.ObjectStoreStats;
import io.glaux.connectors.s3.TestingS3;
import io.glaux.connectors.split.Split;
import io.glaux.connectors.split.SplitEnumerator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.NanoTime;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParquetPageSourceTest
{
    private static final String BUCKET = "parquet-test";

    private TestingS3 s3;
    private ObjectStore store;
    private Path directory;
    private BufferAllocator allocator;

    @BeforeAll
    void setUpServer()
            throws Exception
    {
        s3 = new TestingS3();
        store = s3.newStore();
        store.createBucketIfMissing(BUCKET);
        directory = Files.createTempDirectory("glaux-parquet-test");
    }

    @AfterAll
    void tearDownServer()
            throws Exception
    {
        store.close();
        s3.close();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    @BeforeEach
    void setUpAllocator()
    {
        allocator = new RootAllocator();
    }

    @AfterEach
    void closeAllocator()
    {
        // fails the test when a batch or a vector leaked
        allocator.close();
    }

    // ------------------------------------------------------------------ every type

    private static final MessageType ALL_TYPES = MessageTypeParser.parseMessageType("""
            message all_types {
              required int64 id;
              optional boolean b;
              optional int32 i8 (INTEGER(8,true));
              optional int32 i16 (INTEGER(16,true));
              optional int32 i32;
              optional int64 i64;
              optional float f;
              optional double d;
              optional binary s (STRING);
              optional binary dict_s (STRING);
              optional binary bin;
              optional int32 dt (DATE);
              optional int64 ts_ms (TIMESTAMP(MILLIS,false));
              optional int64 ts_us (TIMESTAMP(MICROS,true));
              optional int64 ts_ns (TIMESTAMP(NANOS,false));
              optional int96 ts96;
              optional int32 dec32 (DECIMAL(9,2));
              optional int64 dec64 (DECIMAL(18,4));
              optional fixed_len_byte_array(16) dec128 (DECIMAL(38,10));
            }
            """);

    private static final List<ColumnHandle> ALL_TYPE_COLUMNS = List.of(
            regular("id", Type.BIGINT),
            regular("b", Type.BOOLEAN),
            regular("i8", Type.TINYINT),
            regular("i16", Type.SMALLINT),
            regular("i32", Type.INTEGER),
            regular("i64", Type.BIGINT),
            regular("f", Type.REAL),
            regular("d", Type.DOUBLE),
            regular("s", Type.VARCHAR),
            regular("dict_s", Type.VARCHAR),
            regular("bin", Type.VARBINARY),
            regular("dt", Type.DATE),
            regular("ts_ms", Type.TIMESTAMP),
            regular("ts_us", new Type.Timestamp(6)),
            regular("ts_ns", new Type.Timestamp(9)),
            regular("ts96", Type.TIMESTAMP),
            regular("dec32", new Type.Decimal(9, 2)),
            regular("dec64", new Type.Decimal(18, 4)),
            regular("dec128", new Type.Decimal(38, 10)));

    private static boolean nullRow(long id)
    {
        return id % 7 == 3;
    }

    private static long sign(long id)
    {
        return id % 2 == 0 ? 1 : -1;
    }

    private static long tsNanos(long id)
    {
        return sign(id) * (1_700_000_000_000_000_123L + id * 1_000_777L);
    }

    private static long ts96Nanos(long id)
    {
        return (id * 1_000_000_007L) % 86_400_000_000_000L;
    }

    private static BigInteger dec128(long id)
    {
        return BigInteger.valueOf(id).multiply(BigInteger.TEN.pow(25)).add(BigInteger.valueOf(id % 3 - 1)).multiply(BigInteger.valueOf(sign(id)));
    }

    private static byte[] bigEndian16(BigInteger value)
    {
        byte[] raw = value.toByteArray();
        byte[] padded = new byte[16];
        Arrays.fill(padded, value.signum() < 0 ? (byte) 0xFF : 0);
        System.arraycopy(raw, 0, padded, 16 - raw.length, raw.length);
        return padded;
    }

    private static void writeAllTypes(ParquetTestFiles.Writer writer, int rows)
    {
        SimpleGroupFactory factory = new SimpleGroupFactory(ALL_TYPES);
        for (long id = 0; id < rows; id++) {
            Group group = factory.newGroup().append("id", id);
            if (!nullRow(id)) {
                group.append("b", id % 2 == 0)
                        .append("i8", (int) (id % 256 - 128))
                        .append("i16", (int) ((id * 31) % 65536 - 32768))
                        .append("i32", (int) (id * 1_000_003))
                        .append("i64", id * 10_000_000_000L - 5)
                        .append("f", id * 0.5f)
                        .append("d", id * 1.25 - 3)
                        .append("s", "str-" + id + "-é漢😀")
                        .append("dict_s", "cat-" + id % 5)
                        .append("bin", Binary.fromConstantByteArray(new byte[] {(byte) id, (byte) (id + 1), (byte) 0xFF}))
                        .append("dt", (int) (19_000 + id))
                        .append("ts_ms", 1_700_000_000_000L + id * 1001)
                        .append("ts_us", 1_700_000_000_000_000L + id * 17)
                        .append("ts_ns", tsNanos(id))
                        .append("ts96", new NanoTime((int) (2_440_588 + 19_000 + id), ts96Nanos(id)))
                        .append("dec32", (int) (id * 123 - 5000))
                        .append("dec64", sign(id) * id * 1_000_000_007L)
                        .append("dec128", Binary.fromConstantByteArray(bigEndian16(dec128(id))));
            }
            writer.write(group);
        }
    }

    private static Object[] expectedAllTypes(long id)
    {
        if (nullRow(id)) {
            Object[] row = new Object[ALL_TYPE_COLUMNS.size()];
            row[0] = id;
            return row;
        }
        return new Object[] {
                id,
                id % 2 == 0,
                (byte) (id % 256 - 128),
                (short) ((id * 31) % 65536 - 32768),
                (int) (id * 1_000_003),
                id * 10_000_000_000L - 5,
                id * 0.5f,
                id * 1.25 - 3,
                "str-" + id + "-é漢😀",
                "cat-" + id % 5,
                new byte[] {(byte) id, (byte) (id + 1), (byte) 0xFF},
                (int) (19_000 + id),
                (1_700_000_000_000L + id * 1001) * 1000,
                1_700_000_000_000_000L + id * 17,
                Math.floorDiv(tsNanos(id), 1000L),
                (19_000 + id) * 86_400_000_000L + ts96Nanos(id) / 1000,
                BigDecimal.valueOf(id * 123 - 5000, 2),
                BigDecimal.valueOf(sign(id) * id * 1_000_000_007L, 4),
                new BigDecimal(dec128(id), 10),
        };
    }

    static Stream<Arguments> codecsAndVersions()
    {
        List<Arguments> arguments = new ArrayList<>();
        for (CompressionCodecName codec : List.of(CompressionCodecName.UNCOMPRESSED, CompressionCodecName.SNAPPY, CompressionCodecName.GZIP, CompressionCodecName.ZSTD)) {
            for (WriterVersion version : WriterVersion.values()) {
                arguments.add(Arguments.of(codec, version));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest
    @MethodSource("codecsAndVersions")
    void roundTripOfEveryType(CompressionCodecName codec, WriterVersion version)
    {
        int rows = 5_000;
        ParquetTestFiles.Written written = ParquetTestFiles.writeAndUpload(store, BUCKET, "types/" + codec + "-" + version + ".parquet", directory, ALL_TYPES,
                ParquetTestFiles.WriteOptions.defaults().withCodec(codec).withVersion(version).withRowGroupRows(2_000),
                writer -> writeAllTypes(writer, rows));

        ParquetMetadata footer = ParquetTestFiles.footer(written.file());
        assertThat(footer.getBlocks()).hasSize(3);
        ColumnChunkMetaData dictionaryColumn = footer.getBlocks().getFirst().getColumns().get(9);
        assertThat(dictionaryColumn.getPath().toDotString()).isEqualTo("dict_s");
        assertThat(dictionaryColumn.getEncodings()).anyMatch(Encoding::usesDictionary);
        assertThat(dictionaryColumn.getCodec()).isEqualTo(codec);

        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store, 1_000);
        AtomicInteger batches = new AtomicInteger();
        List<Object[]> actual = new ArrayList<>();
        try (PageSource source = factory.create(written.split(), ALL_TYPE_COLUMNS, TupleDomain.all(), allocator)) {
            forEachBatch(source, root -> {
                batches.incrementAndGet();
                assertThat(root.getRowCount()).isBetween(1, 1_000);
                assertThat(root.getSchema().getFields()).hasSize(ALL_TYPE_COLUMNS.size());
                actual.addAll(rows(root));
            });
            assertThat(source.rowsRead()).isEqualTo(rows);
            assertThat(source.bytesRead()).isGreaterThan(0);
        }
        assertThat(batches.get()).isEqualTo(5); // row groups of 2000 + 2000 + 1000 rows, batches of at most 1000
        assertThat(actual).hasSize(rows);
        for (int id = 0; id < rows; id++) {
            Object[] expected = expectedAllTypes(id);
            Object[] row = actual.get(id);
            for (int column = 0; column < expected.length; column++) {
                String name = ALL_TYPE_COLUMNS.get(column).name();
                if (expected[column] instanceof byte[] bytes) {
                    assertThat((byte[]) row[column]).as("%s of row %d", name, id).isEqualTo(bytes);
                }
                else {
                    assertThat(row[column]).as("%s of row %d", name, id).isEqualTo(expected[column]);
                }
            }
        }
    }

    // ------------------------------------------------------------------ pruning, projection, splits

    private static final MessageType SORTED = MessageTypeParser.parseMessageType("""
            message sorted {
              required int64 id;
              optional binary name (STRING);
              optional double value;
            }
            """);

    private ParquetTestFiles.Written sortedFile(String key, int rowGroups, int rowsPerGroup)
    {
        return ParquetTestFiles.writeAndUpload(store, BUCKET, key, directory, SORTED,
                ParquetTestFiles.WriteOptions.defaults().withRowGroupRows(rowsPerGroup),
                writer -> {
                    SimpleGroupFactory factory = new SimpleGroupFactory(SORTED);
                    for (long id = 0; id < (long) rowGroups * rowsPerGroup; id++) {
                        Group group = factory.newGroup().append("id", id).append("name", "name-%06d".formatted(id));
                        if (id % 10 != 0) {
                            group.append("value", id / 2.0);
                        }
                        writer.write(group);
                    }
                });
    }

    @Test
    void rowGroupsAreSkippedByStatistics()
    {
        ParquetTestFiles.Written written = sortedFile("pruning/sorted.parquet", 4, 10_000);
        assertThat(ParquetTestFiles.footer(written.file()).getBlocks()).hasSize(4);
        assertThat(written.split().fileSize()).isGreaterThan(4 * ParquetReaderOptions.DEFAULT_FOOTER_READ_SIZE);
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT), regular("name", Type.VARCHAR), regular("value", Type.DOUBLE));
        // row-group statistics alone (the column index would also skip pages, and the name's values select its row: ParquetPruningTest)
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store, ParquetReaderOptions.defaults().withColumnIndex(false).withValueFilter(false));

        Scan all = scan(factory, written.split(), columns, TupleDomain.all());
        assertThat(all.rows()).hasSize(40_000);
        assertThat(all.rowGroupsSkipped()).isZero();

        // id in [25000, 25010]: only the third row group can match
        Scan byId = scan(factory, written.split(), columns, domain("id", new Domain(List.of(new Range(25_000L, true, 25_010L, true)), false)));
        assertThat(byId.rowGroupsSkipped()).isEqualTo(3);
        assertThat(byId.rows()).hasSize(10_000);
        assertThat(byId.rows().getFirst()[0]).isEqualTo(20_000L);
        assertThat(byId.bytesRead()).isLessThan(all.bytesRead() / 2);
        assertThat(byId.stats().gets()).isLessThan(all.stats().gets());

        // a string domain (zero-padded names sort like the ids)
        Scan byName = scan(factory, written.split(), columns, domain("name", new Domain(List.of(Range.equal("name-035000")), false)));
        assertThat(byName.rowGroupsSkipped()).isEqualTo(3);
        assertThat(byName.rows().getFirst()[0]).isEqualTo(30_000L);

        // a double domain; the column has nulls, so "value IS NULL" cannot skip anything
        Scan byValue = scan(factory, written.split(), columns, domain("value", new Domain(List.of(new Range(null, false, 4_000.0, false)), false)));
        assertThat(byValue.rowGroupsSkipped()).isEqualTo(3);
        Scan byNullValue = scan(factory, written.split(), columns, domain("value", Domain.onlyNull()));
        assertThat(byNullValue.rowGroupsSkipped()).isZero();
        // id has no nulls: "id IS NULL" skips everything and fetches only the footer
        Scan byNullId = scan(factory, written.split(), columns, domain("id", Domain.onlyNull()));
        assertThat(byNullId.rowGroupsSkipped()).isEqualTo(4);
        assertThat(byNullId.rows()).isEmpty();
        assertThat(byNullId.stats().gets()).isEqualTo(1);

        // nothing matches: only the footer is fetched
        Scan none = scan(factory, written.split(), columns, domain("id", new Domain(List.of(new Range(1_000_000L, false, null, false)), false)));
        assertThat(none.rowGroupsSkipped()).isEqualTo(4);
        assertThat(none.rows()).isEmpty();
        assertThat(none.stats().gets()).isEqualTo(1);
        assertThat(none.bytesRead()).isEqualTo(ParquetReaderOptions.DEFAULT_FOOTER_READ_SIZE);

        // an impossible domain needs no request at all
        Scan nothing = scan(factory, written.split(), columns, TupleDomain.nothing());
        assertThat(nothing.rows()).isEmpty();
        assertThat(nothing.stats().requests()).isZero();

        // values of the wrong Java type in a domain never prune wrongly (nor fail)
        Scan mistyped = scan(factory, written.split(), columns, domain("value", new Domain(List.of(Range.equal(5L)), false)));
        assertThat(mistyped.rowGroupsSkipped()).isZero();
    }

    @Test
    void projectionFetchesOnlyTheNeededColumns()
    {
        MessageType schema = MessageTypeParser.parseMessageType("""
                message wide {
                  required int64 id;
                  required binary payload (STRING);
                  required int32 small;
                }
                """);
        Random random = new Random(7);
        ParquetTestFiles.Written written = ParquetTestFiles.writeAndUpload(store, BUCKET, "projection/wide.parquet", directory, schema,
                ParquetTestFiles.WriteOptions.defaults().withRowGroupRows(10_000),
                writer -> {
                    SimpleGroupFactory factory = new SimpleGroupFactory(schema);
                    byte[] bytes = new byte[150];
                    for (long id = 0; id < 20_000; id++) {
                        random.nextBytes(bytes);
                        writer.write(factory.newGroup().append("id", id).append("payload", java.util.HexFormat.of().formatHex(bytes)).append("small", (int) (id % 100)));
                    }
                });
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store);
        Scan everything = scan(factory, written.split(), List.of(regular("id", Type.BIGINT), regular("payload", Type.VARCHAR), regular("small", Type.INTEGER)), TupleDomain.all());
        Scan narrow = scan(factory, written.split(), List.of(regular("small", Type.INTEGER), regular("id", Type.BIGINT)), TupleDomain.all());
        assertThat(everything.rows()).hasSize(20_000);
        assertThat(narrow.rows()).hasSize(20_000);
        assertThat(narrow.rows().get(12_345)).containsExactly(45, 12_345L);
        assertThat(everything.bytesRead()).isGreaterThan(5_000_000);
        assertThat(narrow.bytesRead()).isLessThan(everything.bytesRead() / 10);
        // the page source counts what the store counted
        assertThat(narrow.bytesRead()).isEqualTo(narrow.stats().bytesRead());
        assertThat(everything.bytesRead()).isEqualTo(everything.stats().bytesRead());
    }

    @Test
    void splitsReadEveryRowExactlyOnce()
    {
        ParquetTestFiles.Written written = sortedFile("splits/data.parquet", 8, 5_000);
        long fileSize = written.split().fileSize();
        SplitEnumerator enumerator = new SplitEnumerator(store, fileSize / 6);
        List<Split> splits = enumerator.splits(List.of(SplitEnumerator.Location.of("s3://" + BUCKET + "/splits/"))).toList();
        assertThat(splits.size()).isGreaterThanOrEqualTo(5);

        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store, 3_000);
        List<Long> ids = new ArrayList<>();
        int rowGroups = 0;
        for (Split split : splits) {
            try (ParquetPageSource source = factory.create(split, List.of(regular("id", Type.BIGINT)), TupleDomain.all(), allocator)) {
                forEachBatch(source, root -> rows(root).forEach(row -> ids.add((Long) row[0])));
                rowGroups += source.rowGroupsInSplit();
                assertThat(source.rowGroupsRead()).isEqualTo(source.rowGroupsInSplit());
            }
        }
        assertThat(rowGroups).isEqualTo(8);
        assertThat(ids).hasSize(40_000);
        assertThat(new HashSet<>(ids)).hasSize(40_000);
        assertThat(ids.stream().mapToLong(Long::longValue).min().orElseThrow()).isZero();
        assertThat(ids.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(39_999L);
    }

    @Test
    void smallFileIsReadWithOneRequest()
    {
        ParquetTestFiles.Written written = sortedFile("small/one.parquet", 2, 100);
        assertThat(written.split().fileSize()).isLessThan(ParquetReaderOptions.DEFAULT_FOOTER_READ_SIZE);
        Scan scan = scan(new ParquetPageSourceFactory(store), written.split(), List.of(regular("id", Type.BIGINT), regular("name", Type.VARCHAR)), TupleDomain.all());
        assertThat(scan.rows()).hasSize(200);
        assertThat(scan.stats().requests()).isEqualTo(1);
        assertThat(scan.bytesRead()).isEqualTo(written.split().fileSize());
    }

    @Test
    void footerLargerThanTheFirstReadCostsASecondRequest()
    {
        ParquetTestFiles.Written written = sortedFile("small/bigfooter.parquet", 3, 100);
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store, ParquetReaderOptions.defaults().withFooterReadSize(64));
        Scan scan = scan(factory, written.split(), List.of(regular("name", Type.VARCHAR)), TupleDomain.all());
        assertThat(scan.rows()).hasSize(300);
        assertThat(scan.rows().get(299)[0]).isEqualTo("name-000299");
        // tail + footer + one merged range per row group
        assertThat(scan.stats().gets()).isEqualTo(2 + 3);
    }

    // ------------------------------------------------------------------ schema on read

    @Test
    void schemaOnRead()
    {
        MessageType schema = MessageTypeParser.parseMessageType("""
                message evolving {
                  required int32 I32;
                  optional float f;
                  optional binary Name (STRING);
                  optional int64 big;
                }
                """);
        ParquetTestFiles.Written written = ParquetTestFiles.writeAndUpload(store, BUCKET, "schema/evolving.parquet", directory, schema,
                ParquetTestFiles.WriteOptions.defaults(),
                writer -> {
                    SimpleGroupFactory factory = new SimpleGroupFactory(schema);
                    for (int i = 0; i < 300; i++) {
                        Group group = factory.newGroup().append("I32", i - 150).append("f", i * 0.25f).append("Name", "n" + i);
                        if (i != 7) {
                            group.append("big", i * 1_000L);
                        }
                        writer.write(group);
                    }
                });
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store);
        List<ColumnHandle> columns = List.of(
                regular("i32", Type.BIGINT),
                regular("F", Type.DOUBLE),
                regular("i32", Type.BIGINT),
                regular("name", Type.VARCHAR),
                regular("added_later", Type.VARCHAR),
                regular("also_added", Type.DOUBLE),
                regular("big", Type.DOUBLE));
        Scan scan = scan(factory, written.split(), columns, TupleDomain.all());
        assertThat(scan.rows()).hasSize(300);
        assertThat(scan.rows().get(10)).containsExactly(-140L, 2.5, -140L, "n10", null, null, 10_000.0);
        assertThat(scan.rows().get(7)[6]).isNull();

        // int32 read as double, and narrowed to tinyint when every value fits
        Scan asDouble = scan(factory, written.split(), List.of(regular("i32", Type.DOUBLE)), TupleDomain.all());
        assertThat(asDouble.rows().get(0)).containsExactly(-150.0);

        // a domain on a column the file lacks: all NULL, so "IS NOT NULL" skips the whole file
        Scan missing = scan(factory, written.split(), columns, domain("added_later", Domain.notNull()));
        assertThat(missing.rows()).isEmpty();
        assertThat(missing.rowGroupsSkipped()).isEqualTo(1);

        assertThatThrownBy(() -> scan(factory, written.split(), List.of(regular("name", Type.BIGINT)), TupleDomain.all()))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA);
                    assertThat(e.getMessage()).contains("s3://parquet-test/schema/evolving.parquet").contains("'name'").contains("bigint").contains("BINARY");
                });
        assertThatThrownBy(() -> scan(factory, written.split(), List.of(regular("f", Type.INTEGER)), TupleDomain.all()))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA));
        assertThatThrownBy(() -> scan(factory, written.split(), List.of(regular("i32", Type.TINYINT)), TupleDomain.all()))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA);
                    assertThat(e.getMessage()).contains("s3://parquet-test/schema/evolving.parquet").contains("'i32'").contains("out of range for tinyint");
                });
    }

    // ------------------------------------------------------------------ partition and hidden columns

    @Test
    void partitionAndHiddenColumns()
    {
        ParquetTestFiles.Written written = sortedFile("tbl/dt=2024-01-02/region=eu%3Awest/data.parquet", 2, 700);
        Split split = new Split(BUCKET, written.split().key(), 0, written.split().fileSize(), written.split().fileSize(), written.split().lastModifiedMillis(),
                Map.of("dt", "2024-01-02", "region", "eu:west", "hour", "07", "missing_value", "__HIVE_DEFAULT_PARTITION__"));
        List<ColumnHandle> columns = List.of(
                regular("id", Type.BIGINT),
                new ColumnHandle("dt", Type.DATE, PARTITION),
                new ColumnHandle("region", Type.VARCHAR, PARTITION),
                new ColumnHandle("hour", Type.INTEGER, PARTITION),
                new ColumnHandle("missing_value", Type.BIGINT, PARTITION),
                new ColumnHandle("$path", Type.VARCHAR, HIDDEN),
                new ColumnHandle("$file_size", Type.BIGINT, HIDDEN),
                new ColumnHandle("$file_modified_time", Type.TIMESTAMP, HIDDEN));
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store, 500);
        Scan scan = scan(factory, split, columns, TupleDomain.all());
        assertThat(scan.rows()).hasSize(1_400);
        long day = java.time.LocalDate.parse("2024-01-02").toEpochDay();
        for (Object[] row : scan.rows()) {
            assertThat(Arrays.copyOfRange(row, 1, row.length)).containsExactly(
                    (int) day, "eu:west", 7, null, "s3://parquet-test/tbl/dt=2024-01-02/region=eu%3Awest/data.parquet",
                    split.fileSize(), split.lastModifiedMillis() * 1000);
        }

        // only constant columns: rows counted from the footer, no column chunk fetched
        Scan countOnly = scan(factory, split, List.of(new ColumnHandle("region", Type.VARCHAR, PARTITION)), TupleDomain.all());
        assertThat(countOnly.rows()).hasSize(1_400);
        assertThat(countOnly.stats().gets()).isEqualTo(1);

        // a partition value that cannot match: nothing is fetched at all
        Scan pruned = scan(factory, split, columns, domain("dt", new Domain(List.of(Range.equal(day + 1)), false)));
        assertThat(pruned.rows()).isEmpty();
        assertThat(pruned.stats().requests()).isZero();
        Scan prunedByPath = scan(factory, split, columns, domain("$path", new Domain(List.of(Range.equal("s3://elsewhere")), false)));
        assertThat(prunedByPath.stats().requests()).isZero();
        Scan kept = scan(factory, split, columns, domain("dt", new Domain(List.of(Range.equal(day)), false)));
        assertThat(kept.rows()).hasSize(1_400);

        assertThatThrownBy(() -> scan(factory, split, List.of(new ColumnHandle("hour", Type.DATE, PARTITION)), TupleDomain.all()))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA);
                    assertThat(e.getMessage()).contains("'hour'").contains("s3://parquet-test/tbl/");
                });
    }

    // ------------------------------------------------------------------ failures

    @Test
    void corruptFilesAreReportedWithTheObject()
            throws Exception
    {
        ParquetTestFiles.Written valid = sortedFile("corrupt/valid.parquet", 2, 5_000);
        byte[] good = Files.readAllBytes(valid.file());
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT), regular("name", Type.VARCHAR));
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store);

        byte[] garbage = new byte[100_000];
        new Random(1).nextBytes(garbage);
        assertCorrupt(factory, "corrupt/garbage.parquet", garbage, columns, "no magic number PAR1");

        assertCorrupt(factory, "corrupt/truncated.parquet", Arrays.copyOf(good, good.length * 6 / 10), columns, "no magic number PAR1");
        assertCorrupt(factory, "corrupt/tiny.parquet", "PAR1x".getBytes(UTF_8), columns, "5 bytes long");

        byte[] badLength = good.clone();
        writeIntLittleEndian(badLength, badLength.length - 8, 0x7FFF_FFF0);
        assertCorrupt(factory, "corrupt/bad-length.parquet", badLength, columns, "footer length");

        byte[] damagedFooter = good.clone();
        int footerLength = readIntLittleEndian(good, good.length - 8);
        Arrays.fill(damagedFooter, good.length - 8 - footerLength, good.length - 8 - footerLength / 2, (byte) 0xEE);
        assertCorrupt(factory, "corrupt/damaged-footer.parquet", damagedFooter, columns, "footer");

        byte[] damagedPage = good.clone();
        Arrays.fill(damagedPage, 4, 40, (byte) 0xFF);
        assertCorrupt(factory, "corrupt/damaged-page.parquet", damagedPage, columns, "row group 0 at offset 4");

        // damaged compressed data inside the pages of 'name' (past the page header)
        ColumnChunkMetaData nameChunk = ParquetTestFiles.footer(valid.file()).getBlocks().get(1).getColumns().get(1);
        byte[] damagedData = good.clone();
        int dataStart = (int) nameChunk.getFirstDataPageOffset() + 40;
        Arrays.fill(damagedData, dataStart, dataStart + 2_000, (byte) 0x5A);
        assertCorrupt(factory, "corrupt/damaged-data.parquet", damagedData, columns, "column 'name', row group 1 at offset " + ParquetTestFiles.footer(valid.file()).getBlocks().get(1).getStartingPos());
    }

    private void assertCorrupt(ParquetPageSourceFactory factory, String key, byte[] content, List<ColumnHandle> columns, String detail)
    {
        store.put(BUCKET, key, content);
        Split split = new Split(BUCKET, key, 0, content.length, content.length, 0, Map.of());
        assertThatThrownBy(() -> scan(factory, split, columns, TupleDomain.all()))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(ErrorCode.CORRUPT_FILE);
                    assertThat(e.getMessage()).contains("s3://parquet-test/" + key).contains(detail);
                });
    }

    @Test
    void missingObjectAndWrongCredentials()
    {
        ParquetTestFiles.Written written = sortedFile("creds/data.parquet", 1, 100);
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT));
        Split gone = new Split(BUCKET, "creds/gone.parquet", 0, 1_000, 1_000, 0, Map.of());
        assertThatThrownBy(() -> scan(new ParquetPageSourceFactory(store), gone, columns, TupleDomain.all()))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_NOT_FOUND);
                    assertThat(e.getMessage()).contains("s3://parquet-test/creds/gone.parquet");
                });
        try (ObjectStore wrong = new ObjectStore(s3.config().withCredentials("nobody", "nothing"))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> scan(new ParquetPageSourceFactory(wrong), written.split(), columns, TupleDomain.all()))
                    .isInstanceOfSatisfying(GlauxException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_STORE_ACCESS_DENIED);
                        assertThat(e.getMessage()).contains("s3://parquet-test/creds/data.parquet").doesNotContain("nothing");
                    });
            assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        }
    }

    @Test
    void closingEarlyReleasesEverything()
    {
        ParquetTestFiles.Written written = sortedFile("early/data.parquet", 4, 5_000);
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store, 1_000);
        try (PageSource source = factory.create(written.split(), List.of(regular("id", Type.BIGINT), regular("name", Type.VARCHAR)), TupleDomain.all(), allocator)) {
            try (VectorSchemaRoot root = source.nextBatch()) {
                assertThat(root.getRowCount()).isEqualTo(1_000);
            }
        }
        // the allocator check in closeAllocator() proves nothing leaked
    }

    // ------------------------------------------------------------------ helpers

    record Scan(List<Object[]> rows, long bytesRead, int rowGroupsSkipped, ObjectStoreStats stats) {}

    private Scan scan(ParquetPageSourceFactory factory, Split split, List<ColumnHandle> columns, TupleDomain pruning)
    {
        ObjectStoreStats before = store.stats();
        List<Object[]> rows = new ArrayList<>();
        try (ParquetPageSource source = factory.create(split, columns, pruning, allocator)) {
            forEachBatch(source, root -> rows.addAll(rows(root)));
            assertThat(source.rowsRead()).isEqualTo(rows.size());
            return new Scan(rows, source.bytesRead(), source.rowGroupsSkipped(), store.stats().minus(before));
        }
    }

    private static void forEachBatch(PageSource source, Consumer<VectorSchemaRoot> consumer)
    {
        while (true) {
            try (VectorSchemaRoot root = source.nextBatch()) {
                if (root == null) {
                    return;
                }
                consumer.accept(root);
            }
        }
    }

    private static List<Object[]> rows(VectorSchemaRoot root)
    {
        List<Object[]> rows = new ArrayList<>(root.getRowCount());
        List<FieldVector> vectors = root.getFieldVectors();
        for (int row = 0; row < root.getRowCount(); row++) {
            Object[] values = new Object[vectors.size()];
            for (int column = 0; column < vectors.size(); column++) {
                values[column] = value(vectors.get(column), row);
            }
            rows.add(values);
        }
        return rows;
    }

    private static Object value(FieldVector vector, int row)
    {
        if (vector.isNull(row)) {
            return null;
        }
        return switch (vector) {
            case VarCharVector varchar -> new String(varchar.get(row), UTF_8);
            case TimeStampMicroVector timestamp -> timestamp.get(row);
            case DateDayVector date -> date.get(row);
            default -> vector.getObject(row);
        };
    }

    private static ColumnHandle regular(String name, Type type)
    {
        return new ColumnHandle(name, type, REGULAR);
    }

    private static TupleDomain domain(String column, Domain domain)
    {
        return new TupleDomain(Map.of(column, domain), false);
    }

    private static int readIntLittleEndian(byte[] bytes, int offset)
    {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8 | (bytes[offset + 2] & 0xFF) << 16 | (bytes[offset + 3] & 0xFF) << 24;
    }

    private static void writeIntLittleEndian(byte[] bytes, int offset, int value)
    {
        bytes[offset] = (byte) value;
        bytes[offset + 1] = (byte) (value >>> 8);
        bytes[offset + 2] = (byte) (value >>> 16);
        bytes[offset + 3] = (byte) (value >>> 24);
    }
}
