package io.glaux.connectors.text;

import static io.glaux.connectors.line.LineFiles.regular;
import static io.glaux.connectors.line.LineFiles.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.compress.CompressionKind;
import io.glaux.connectors.compress.TestingCompression;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.FormatRegistry;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.line.LineFiles;
import io.glaux.connectors.line.LinePageSourceFactory;
import io.glaux.connectors.line.LineReaderOptions;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectStoreStats;
import io.glaux.connectors.split.Split;
import io.glaux.connectors.split.SplitEnumerator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextPageSourceTest
{
    private LineFiles files;

    @BeforeAll
    void setUp()
            throws Exception
    {
        files = new LineFiles();
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        files.close();
    }

    private PageSourceFactory factory(Map<String, String> properties)
    {
        return FormatRegistry.standard(files.store()).factory("text", properties);
    }

    private static Map<String, String> properties(String columns, String... keyValues)
    {
        Map<String, String> properties = new HashMap<>();
        properties.put(TableFormats.COLUMNS, columns);
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void hiveDefaultsEveryScalarType()
    {
        String columns = "b,ti,si,i,bi,r,d,dec,dt,ts,s,vc,bin";
        Split split = files.put("types/a.txt", String.join("\n",
                String.join("\u0001", "true", "-128", "32767", "2147483647", "-9223372036854775808", "1.5", "-2.25e3", "123.456", "2024-02-29", "2024-03-01 12:34:56.789123", "héllo", "abcdéfgh", "aGk="),
                String.join("\u0001", "FALSE", "12.9", "1", "-7", "42", "NaN", "0.1", "-0.005", "2024-1-5", "2024-03-01", "", "short", "not base64!"),
                // invalid values are NULL, as in Hive; so is \N, and an empty non-string field
                String.join("\u0001", "yes", "128", "x", "", "1e3", "abc", "--1", "12345678", "2023-02-29", "2024-13-01 00:00:00", "\\N", "\\N", "\\N"),
                // missing trailing fields are NULL, extra ones ignored
                "true\u00011",
                String.join("\u0001", "false", "1", "2", "3", "4", "5", "6", "7", "2024-01-01", "2024-01-01T01:02:03Z", "s", "v", "", "extra", "fields")));
        List<ColumnHandle> handles = List.of(
                regular("b", Type.BOOLEAN), regular("ti", Type.TINYINT), regular("si", Type.SMALLINT), regular("i", Type.INTEGER),
                regular("bi", Type.BIGINT), regular("r", Type.REAL), regular("d", Type.DOUBLE), regular("dec", new Type.Decimal(5, 2)),
                regular("dt", Type.DATE), regular("ts", Type.TIMESTAMP), regular("s", Type.VARCHAR), regular("vc", new Type.Varchar(5)),
                regular("bin", Type.VARBINARY));
        List<List<Object>> rows = files.read(factory(properties(columns)), split, handles);
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).containsExactly(true, (byte) -128, (short) 32767, 2147483647, Long.MIN_VALUE, 1.5f, -2250.0,
                new BigDecimal("123.46"), (int) LocalDate.of(2024, 2, 29).toEpochDay(), LocalDateTime.of(2024, 3, 1, 12, 34, 56, 789_123_000),
                "héllo", "abcdé", new byte[] {'h', 'i'});
        // "12.9" reads as 12 (Hive drops the fraction of an integer), an empty string stays empty
        assertThat(rows.get(1)).containsExactly(false, (byte) 12, (short) 1, -7, 42L, Float.NaN, 0.1, new BigDecimal("-0.01"),
                (int) LocalDate.of(2024, 1, 5).toEpochDay(), LocalDateTime.of(2024, 3, 1, 0, 0), "", "short", "not base64!".getBytes(StandardCharsets.UTF_8));
        assertThat(rows.get(2)).containsOnlyNulls();
        assertThat(rows.get(3)).containsExactly(true, (byte) 1, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(rows.get(4).subList(8, 13)).containsExactly((int) LocalDate.of(2024, 1, 1).toEpochDay(), LocalDateTime.of(2024, 1, 1, 1, 2, 3), "s", "v", new byte[0]);
    }

    @Test
    void tsvWithEscapesAndCustomNulls()
    {
        // an escaped tab is data; "\\t" is just "t" (no CR/LF translation), "\\N" is "N" when NULL is spelled NULL
        Split split = files.put("tsv/a.tsv", "1\ta\\\tb\\t\tNULL\n2\tc\\\\d\t\\N\n3\te\\\n");
        Map<String, String> properties = properties("id,s,t", "field.delim", "\t", "escape.delim", "\\", "serialization.null.format", "NULL");
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT), regular("s", Type.VARCHAR), regular("t", Type.VARCHAR));
        assertThat(files.read(factory(properties), split, columns)).containsExactly(
                row(1L, "a\tbt", null),
                row(2L, "c\\d", "N"),
                row(3L, "e\\", null));
    }

    @Test
    void delimiterGivenAsByteValueOrSerializationFormat()
    {
        Split split = files.put("delims/a.txt", "1,x|y\n");
        List<ColumnHandle> columns = List.of(regular("a", Type.BIGINT), regular("b", Type.VARCHAR));
        assertThat(files.readLines(factory(properties("a,b", "field.delim", "44")), split, columns)).containsExactly("1|x|y");
        assertThat(files.readLines(factory(properties("a,b", "serialization.format", ",")), split, columns)).containsExactly("1|x|y");
        assertThat(files.readLines(factory(properties("a,b", "field.delim", ",", "serialization.format", "1")), split, columns)).containsExactly("1|x|y");
        assertThat(files.readLines(factory(properties("a,b", "field.delim", ",", "serialization.last.column.takes.rest", "true")), files.put("delims/b.txt", "1,x,y,z\n"), columns))
                .containsExactly("1|x,y,z");
    }

    @Test
    void projectionsPartitionsAndHiddenColumns()
    {
        Split written = files.put("tbl/dt=2024-01-02/part-0", "1,a,10\n2,b,20\n");
        Split split = new Split(written.bucket(), written.key(), 0, written.length(), written.fileSize(), written.lastModifiedMillis(), Map.of("dt", "2024-01-02"));
        List<ColumnHandle> columns = List.of(
                regular("n", Type.BIGINT),
                new ColumnHandle("dt", Type.DATE, ColumnHandle.Kind.PARTITION),
                regular("ID", Type.BIGINT),
                new ColumnHandle("$path", Type.VARCHAR, ColumnHandle.Kind.HIDDEN),
                regular("id", Type.BIGINT),
                new ColumnHandle("$file_size", Type.BIGINT, ColumnHandle.Kind.HIDDEN));
        PageSourceFactory factory = factory(properties("id,name,n", "field.delim", ","));
        int day = (int) LocalDate.of(2024, 1, 2).toEpochDay();
        assertThat(files.read(factory, split, columns)).containsExactly(
                row(10L, day, 1L, "s3://line-test/tbl/dt=2024-01-02/part-0", 1L, 14L),
                row(20L, day, 2L, "s3://line-test/tbl/dt=2024-01-02/part-0", 2L, 14L));
        // only constants: one row per line, nothing decoded
        assertThat(files.read(factory, split, List.of(new ColumnHandle("$path", Type.VARCHAR, ColumnHandle.Kind.HIDDEN)))).hasSize(2);
        assertThat(files.read(factory, split, List.of())).hasSize(2);

        // a partition value the pruning domain excludes: the object is not read at all
        ObjectStoreStats before = files.store().stats();
        TupleDomain otherDay = new TupleDomain(Map.of("dt", new Domain(List.of(Range.equal((long) day + 1)), false)), false);
        assertThat(files.read(factory, split, columns, otherDay)).isEmpty();
        assertThat(files.read(factory, split, columns, TupleDomain.nothing())).isEmpty();
        assertThat(files.store().stats().minus(before).gets()).isZero();
    }

    @Test
    void nestedColumnsWithHiveDefaultDelimiters()
    {
        // array<bigint>, map<string,bigint>, struct<a:string,b:array<bigint>>, array<map<string,string>>
        String line1 = String.join("\u0001", "1\u00022\u0002x\u0002\\N", "a\u00031\u0002b\u0003\\N\u0002\\N\u00039", "s\u00027\u00038", "k\u0004v\u0003k2\u0004v2\u0002k3\u0004v3");
        String line2 = String.join("\u0001", "", "\\N", "only", "");
        Split split = files.put("nested/a.txt", line1 + "\n" + line2 + "\n");
        Type struct = new Type.Row(List.of(new Type.Field("a", Type.VARCHAR), new Type.Field("b", new Type.Array(Type.BIGINT))));
        List<ColumnHandle> columns = List.of(
                regular("arr", new Type.Array(Type.BIGINT)),
                regular("m", new Type.MapType(Type.VARCHAR, Type.BIGINT)),
                regular("st", struct),
                regular("am", new Type.Array(new Type.MapType(Type.VARCHAR, Type.VARCHAR))));
        List<List<Object>> rows = files.read(factory(properties("arr,m,st,am")), split, columns);
        assertThat(rows.get(0).get(0)).isEqualTo(Arrays.asList(1L, 2L, null, null));
        // the entry with a NULL key is dropped
        assertThat(rows.get(0).get(1)).isEqualTo(List.of(entry("a", 1L), entry("b", null)));
        assertThat(rows.get(0).get(2)).isEqualTo(struct("s", List.of(7L, 8L)));
        assertThat(rows.get(0).get(3)).isEqualTo(List.of(List.of(entry("k", "v"), entry("k2", "v2")), List.of(entry("k3", "v3"))));
        assertThat(rows.get(1).get(0)).isEqualTo(List.of());
        assertThat(rows.get(1).get(1)).isNull();
        assertThat(rows.get(1).get(2)).isEqualTo(struct("only", null));
    }

    /** A map entry as Arrow's getObject gives it (a NULL value is left out). */
    private static Map<String, Object> entry(String key, Object value)
    {
        Map<String, Object> entry = new java.util.LinkedHashMap<>();
        entry.put("key", key);
        if (value != null) {
            entry.put("value", value);
        }
        return entry;
    }

    private static Map<String, Object> struct(String a, Object b)
    {
        Map<String, Object> struct = new java.util.LinkedHashMap<>();
        struct.put("a", a);
        if (b != null) {
            struct.put("b", b);
        }
        return struct;
    }

    @Test
    void headerAndFooterLines()
    {
        String content = "h1\nh2\n1\n2\n3\nf1\n";
        Split split = files.put("header/a.txt", content);
        List<ColumnHandle> columns = List.of(regular("v", Type.VARCHAR));
        assertThat(files.readLines(factory(properties("v", "skip.header.line.count", "2")), split, columns)).containsExactly("1", "2", "3", "f1");
        assertThat(files.readLines(factory(properties("v", "skip.header.line.count", "2", "skip.footer.line.count", "1")), split, columns)).containsExactly("1", "2", "3");
        assertThat(files.readLines(factory(properties("v", "skip.header.line.count", "10")), split, columns)).isEmpty();
        assertThat(files.readLines(factory(properties("v", "skip.footer.line.count", "10")), split, columns)).isEmpty();

        // one header line: splittable, only the split at byte 0 skips it
        PageSourceFactory oneHeader = factory(properties("v", "skip.header.line.count", "1"));
        assertThat(readAll(oneHeader, "header/a.txt", content.length(), 4, TableFormats.isSplittable("text", Map.of("skip.header.line.count", "1"), "header/a.txt")))
                .containsExactly("h2", "1", "2", "3", "f1");
        // two header lines: the object is read whole by its split at 0, even if it was cut into splits
        PageSourceFactory twoHeaders = factory(properties("v", "skip.header.line.count", "2"));
        assertThat(readAll(twoHeaders, "header/a.txt", content.length(), 4, true)).containsExactly("1", "2", "3", "f1");
    }

    /** Reads every split of an object cut into splits of {@code splitSize}. */
    private List<String> readAll(PageSourceFactory factory, String key, long size, long splitSize, boolean splittable)
    {
        List<String> values = new ArrayList<>();
        for (Split split : new SplitEnumerator(files.store(), splitSize).splits(List.of(SplitEnumerator.Location.of("s3://line-test/" + key.substring(0, key.lastIndexOf('/')))), splittable).toList()) {
            if (split.key().equals(key)) {
                assertThat(split.fileSize()).isEqualTo(size);
                values.addAll(files.readLines(factory, split, List.of(regular("v", Type.VARCHAR))));
            }
        }
        return values;
    }

    @Test
    void everyLineExactlyOnceAcrossSplits()
    {
        // small split sizes on a small object (each split costs GETs), larger ones on a larger object
        checkEveryLineOnce("split/small.csv", 80, new long[] {2, 3, 17, 64, 100});
        checkEveryLineOnce("split/large.csv", 3000, new long[] {333, 1000, 4096, 10_000, 65_536, -1, 0, Long.MAX_VALUE});
    }

    /** Writes {@code lines} lines and reads them in splits of each size (sizes below 1 are relative to the object's size). */
    private void checkEveryLineOnce(String key, int lines, long[] splitSizes)
    {
        Random random = new Random(lines);
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            content.append(i).append(',').append("v".repeat(random.nextInt(random.nextInt(10) == 0 ? 500 : 40)));
            content.append(i % 7 == 0 ? "\r\n" : i % 11 == 0 ? "\r" : "\n");
        }
        byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
        files.put(key, bytes);
        // tiny GET chunks, so that lines also cross chunk boundaries
        LineReaderOptions options = LineReaderOptions.defaults().withReadChunkSize(997).withBatchSize(100);
        PageSourceFactory factory = LinePageSourceFactory.of(files.store(), options, TextFormat.fromProperties(properties("id,v", "field.delim", ",")), Map.of());
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT));
        for (long size : splitSizes) {
            long splitSize = size < 1 ? bytes.length + size : size;
            Map<Long, Integer> seen = new TreeMap<>();
            for (Split split : new SplitEnumerator(files.store(), splitSize).splits(List.of(SplitEnumerator.Location.of("s3://line-test/" + key.substring(0, key.lastIndexOf('/') + 1))), true).toList()) {
                if (!split.key().equals(key)) {
                    continue;
                }
                for (List<Object> row : files.read(factory, split, columns)) {
                    seen.merge((Long) row.getFirst(), 1, Integer::sum);
                }
            }
            assertThat(seen).as("split size %d", splitSize).hasSize(lines);
            assertThat(seen.values()).as("split size %d", splitSize).allMatch(count -> count == 1);
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionKind.class)
    void compressedObjects(CompressionKind kind)
    {
        StringBuilder content = new StringBuilder("id,v\n");
        for (int i = 0; i < 20_000; i++) {
            content.append(i).append(",value-").append(i % 97).append('\n');
        }
        String key = "compressed/data.csv" + kind.extension();
        byte[] compressed = TestingCompression.compress(kind, content.toString().getBytes(StandardCharsets.UTF_8));
        Split split = files.put(key, compressed);
        PageSourceFactory factory = factory(properties("id,v", "field.delim", ",", "skip.header.line.count", "1"));
        List<List<Object>> rows = files.read(factory, split, List.of(regular("id", Type.BIGINT), regular("v", Type.VARCHAR)));
        assertThat(rows).hasSize(20_000);
        assertThat(rows.get(19_999)).containsExactly(19_999L, "value-" + 19_999 % 97);
        if (kind != CompressionKind.NONE) {
            // a compressed object is read whole by its split at byte 0; other splits of it are empty
            Split second = new Split(split.bucket(), split.key(), 10, split.fileSize() - 10, split.fileSize(), split.lastModifiedMillis(), Map.of());
            assertThat(files.read(factory, second, List.of(regular("id", Type.BIGINT)))).isEmpty();
            Split first = new Split(split.bucket(), split.key(), 0, 10, split.fileSize(), split.lastModifiedMillis(), Map.of());
            assertThat(files.read(factory, first, List.of(regular("id", Type.BIGINT)))).hasSize(20_000);
        }
    }

    @Test
    void concatenatedGzipMembersAreAllRead()
    {
        byte[] first = "1,a\n2,b\n".getBytes(StandardCharsets.UTF_8);
        byte[] second = "3,c\n".getBytes(StandardCharsets.UTF_8);
        StringBuilder big = new StringBuilder();
        for (int i = 4; i < 50_000; i++) {
            big.append(i).append(",x\n");
        }
        Split split = files.put("gz/multi.csv.gz", TestingCompression.compressConcatenated(CompressionKind.GZIP, first, second, big.toString().getBytes(StandardCharsets.UTF_8)));
        PageSourceFactory factory = LinePageSourceFactory.of(files.store(), LineReaderOptions.defaults().withReadChunkSize(4096),
                TextFormat.fromProperties(properties("id,v", "field.delim", ",")), Map.of());
        List<List<Object>> rows = files.read(factory, split, List.of(regular("id", Type.BIGINT)));
        assertThat(rows).hasSize(49_999);
        assertThat(rows.stream().map(row -> (Long) row.getFirst()).toList()).isEqualTo(java.util.stream.LongStream.range(1, 50_000).boxed().toList());
    }

    @Test
    void damagedCompressedObjectsFailNamingTheObject()
    {
        byte[] compressed = TestingCompression.compress(CompressionKind.GZIP, "1,a\n".repeat(100_000).getBytes(StandardCharsets.UTF_8));
        Split truncated = files.put("bad/truncated.csv.gz", Arrays.copyOf(compressed, compressed.length - 100));
        PageSourceFactory factory = factory(properties("id,v", "field.delim", ","));
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT));
        assertThatThrownBy(() -> files.read(factory, truncated, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CORRUPT_FILE))
                .hasMessageStartingWith("Corrupt gzip file s3://line-test/bad/truncated.csv.gz: cannot read line ")
                .hasMessageContaining("unexpected end of the compressed data (the object is truncated)");

        Split notGzip = files.put("bad/plain.csv.gz", "1,a\n2,b\n");
        assertThatThrownBy(() -> files.read(factory, notGzip, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CORRUPT_FILE))
                .hasMessageStartingWith("Corrupt gzip file s3://line-test/bad/plain.csv.gz: cannot start decompressing, after ")
                .hasMessageEndingWith(" bytes of the object: ZipException: Not in GZIP format");

        byte[] zstd = TestingCompression.compress(CompressionKind.ZSTD, "1,a\n".repeat(100_000).getBytes(StandardCharsets.UTF_8));
        Split truncatedZstd = files.put("bad/truncated.csv.zst", Arrays.copyOf(zstd, zstd.length / 2));
        assertThatThrownBy(() -> files.read(factory, truncatedZstd, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CORRUPT_FILE))
                .hasMessageStartingWith("Corrupt zstd file s3://line-test/bad/truncated.csv.zst: cannot read line ");
    }

    @Test
    void objectsThatAreNotTextFail()
    {
        List<ColumnHandle> columns = List.of(regular("v", Type.VARCHAR));
        PageSourceFactory factory = factory(properties("v"));
        Split parquet = files.put("nottext/part-0", "PAR1\u0000\u0001binary stuff\nPAR1".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> files.read(factory, parquet, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessage("s3://line-test/nottext/part-0 is not a text file: it is a Parquet file");
        Split gzipWithoutExtension = files.put("nottext/data.txt", TestingCompression.compress(CompressionKind.GZIP, "a\nb\n".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> files.read(factory, gzipWithoutExtension, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessage("s3://line-test/nottext/data.txt is not a text file: it is gzip-compressed data, but its name does not end in .gz");
        // text that merely starts like a signature is text
        assertThat(files.readLines(factory, files.put("nottext/orca.txt", "ORCA\nBZh!\n"), columns)).containsExactly("ORCA", "BZh!");
    }

    @Test
    void byteOrderMarkIsDropped()
    {
        Split split = files.put("bom/a.csv", "\uFEFF1,a\n2,b\n");
        assertThat(files.readLines(factory(properties("id,v", "field.delim", ",")), split, List.of(regular("id", Type.BIGINT), regular("v", Type.VARCHAR))))
                .containsExactly("1|a", "2|b");
    }

    @Test
    void lineTooLong()
    {
        Split split = files.put("long/a.txt", "short\n" + "x".repeat(5000) + "\n");
        PageSourceFactory factory = LinePageSourceFactory.of(files.store(), LineReaderOptions.defaults().withMaxLineLength(1000),
                TextFormat.fromProperties(properties("v")), Map.of());
        assertThatThrownBy(() -> files.read(factory, split, List.of(regular("v", Type.VARCHAR))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessage("Line too long in s3://line-test/long/a.txt at byte offset 6: line is longer than 1000 bytes");
    }

    @Test
    void singleByteCharacterSet()
    {
        Split split = files.put("latin1/a.txt", "caf\u00e9,na\u00efve\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(files.readLines(factory(properties("a,b", "field.delim", ",", "serialization.encoding", "ISO-8859-1")), split,
                List.of(regular("a", Type.VARCHAR), regular("b", Type.VARCHAR)))).containsExactly("café|naïve");
        assertThatThrownBy(() -> factory(properties("a", "serialization.encoding", "UTF-16")))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED));
    }

    @Test
    void columnsMustBeKnown()
    {
        Split split = files.put("cols/a.txt", "1\n");
        assertThatThrownBy(() -> factory(Map.of()))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessageContaining("'columns' format property");
        assertThatThrownBy(() -> files.read(factory(properties("a,b")), split, List.of(regular("c", Type.BIGINT))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.COLUMN_NOT_FOUND))
                .hasMessage("Column 'c' is not one of the table's data columns (a, b)");
    }
}
