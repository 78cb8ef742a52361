package io.glaux.connectors.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Encodings, data page v1/v2 and compression codecs, in files parquet-java and DuckDB wrote. */
class ParquetEncodingsTest
        extends ParquetTestBase
{
    // ------------------------------------------------------------------ DuckDB

    /** Every type DuckDB writes that Glaux has a type for, NULL in every column now and then. */
    private static final String DUCKDB_TYPES = """
            SELECT
              i AS id,
              CASE WHEN i % 7 = 1 THEN NULL ELSE (i % 127)::TINYINT END AS i8,
              CASE WHEN i % 7 = 2 THEN NULL ELSE (i % 32000 - 16000)::SMALLINT END AS i16,
              CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 7919 - 1000000)::INTEGER END AS i32,
              CASE WHEN i % 7 = 4 THEN NULL ELSE i * 1000000007 - 5000000000 END AS i64,
              CASE WHEN i % 5 = 1 THEN NULL ELSE (i % 200)::UTINYINT END AS u8,
              CASE WHEN i % 5 = 2 THEN NULL ELSE (i * 3 % 65000)::USMALLINT END AS u16,
              CASE WHEN i % 5 = 3 THEN NULL ELSE (i * 1000003 % 4000000000)::UINTEGER END AS u32,
              CASE WHEN i % 5 = 4 THEN NULL ELSE (i * 1000000007)::UBIGINT END AS u64,
              CASE WHEN i % 6 = 1 THEN NULL ELSE (i / 3)::FLOAT END AS f,
              CASE WHEN i % 6 = 2 THEN NULL ELSE i / 7 - 100 END AS d,
              CASE WHEN i % 6 = 3 THEN NULL ELSE 'str-' || i || '-é漢😀' END AS s,
              CASE WHEN i % 6 = 4 THEN NULL ELSE 'cat-' || i % 10 END AS cat,
              CASE WHEN i % 6 = 5 THEN NULL ELSE i % 3 = 0 END AS b,
              CASE WHEN i % 8 = 1 THEN NULL ELSE DATE '2000-01-01' + (i * 3)::INTEGER END AS dt,
              CASE WHEN i % 8 = 2 THEN NULL ELSE TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i * 1000003) MICROSECOND END AS ts,
              CASE WHEN i % 8 = 3 THEN NULL ELSE (TIMESTAMP '1990-01-01 00:00:00' + INTERVAL (i * 1001) MILLISECOND)::TIMESTAMP_MS END AS ts_ms,
              CASE WHEN i % 8 = 4 THEN NULL ELSE (TIMESTAMP '2030-06-01 00:00:00' + INTERVAL (i * 13) MICROSECOND)::TIMESTAMP_NS END AS ts_ns,
              CASE WHEN i % 9 = 1 THEN NULL ELSE ((i % 10000) / 100 - 50)::DECIMAL(4, 2) END AS dec4,
              CASE WHEN i % 9 = 2 THEN NULL ELSE (i * 1.001 - 999)::DECIMAL(18, 3) END AS dec18,
              CASE WHEN i % 9 = 3 THEN NULL ELSE (i * 123456789.123 - 1e12)::DECIMAL(38, 10) END AS dec38,
              CASE WHEN i % 9 = 4 THEN NULL ELSE ('blob' || i)::BLOB END AS bin,
              CASE WHEN i % 9 = 5 THEN NULL ELSE ('00000000-0000-4000-8000-' || lpad(i::VARCHAR, 12, '0'))::UUID END AS id_uuid,
              CASE WHEN i % 9 = 6 THEN NULL ELSE [i::INTEGER, NULL, (i * 2)::INTEGER] END AS ints
            FROM range($ROWS) t(i)
            """;

    private static final List<ColumnHandle> DUCKDB_TYPE_COLUMNS = columns(
            "id bigint", "i8 tinyint", "i16 smallint", "i32 integer", "i64 bigint",
            "u8 smallint", "u16 integer", "u32 bigint", "u64 bigint",
            "f real", "d double", "s varchar", "cat varchar", "b boolean", "dt date",
            "ts timestamp(6)", "ts_ms timestamp(3)", "ts_ns timestamp(9)",
            "dec4 decimal(4,2)", "dec18 decimal(18,3)", "dec38 decimal(38,10)",
            "bin varbinary", "id_uuid varchar", "ints array(integer)");

    /** DuckDB's side of the comparison: timestamps as epoch microseconds, UUIDs as text. */
    private static final String DUCKDB_ORACLE = """
            SELECT id, i8, i16, i32, i64, u8, u16, u32, u64, f, d, s, cat, b, dt,
                   epoch_us(ts), epoch_us(ts_ms), epoch_us(ts_ns), dec4, dec18, dec38, bin, id_uuid::VARCHAR, ints
            FROM read_parquet('$FILE')
            """;

    static Stream<Arguments> duckDbCodecsAndVersions()
    {
        List<Arguments> arguments = new ArrayList<>();
        for (String codec : List.of("uncompressed", "snappy", "gzip", "zstd", "lz4", "brotli")) {
            for (String version : List.of("v1", "v2")) {
                arguments.add(Arguments.of(codec, version));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest
    @MethodSource("duckDbCodecsAndVersions")
    void everyTypeFromDuckDb(String codec, String version)
    {
        int rows = 6_000;
        Path file = newFile("duckdb-types-" + codec + "-" + version + ".parquet");
        duckdb.copy(DUCKDB_TYPES.replace("$ROWS", Integer.toString(rows)), file,
                "COMPRESSION %s, PARQUET_VERSION %s, ROW_GROUP_SIZE 2048".formatted(codec, version));
        Split split = upload("encodings/duckdb-" + codec + "-" + version + ".parquet", file);

        Set<String> encodings = new HashSet<>();
        Set<CompressionCodecName> codecs = new HashSet<>();
        for (ColumnChunkMetaData chunk : ParquetTestFiles.footer(file).getBlocks().getFirst().getColumns()) {
            chunk.getEncodings().forEach(encoding -> encodings.add(encoding.name()));
            codecs.add(chunk.getCodec());
        }
        if (version.equals("v2")) {
            // DuckDB's v2 files use the delta and byte-stream-split encodings
            assertThat(encodings).contains("DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "RLE_DICTIONARY");
        }
        assertThat(codecs).containsExactly(CompressionCodecName.valueOf(codec.equals("lz4") ? "LZ4_RAW" : codec.toUpperCase(java.util.Locale.ROOT)));

        Scan scan = scan(new ParquetPageSourceFactory(store, 1_000), split, DUCKDB_TYPE_COLUMNS, TupleDomain.all());
        List<List<Object>> expected = duckdb.query(DUCKDB_ORACLE.replace("$FILE", file.toString()));
        assertThat(scan.rows()).hasSize(rows);
        for (int i = 0; i < rows; i++) {
            List<Object> actual = new ArrayList<>(scan.rows().get(i));
            for (int column = 15; column <= 17; column++) {
                if (actual.get(column) instanceof LocalDateTime timestamp) {
                    actual.set(column, epochMicros(timestamp));
                }
            }
            assertThat(actual).as("row %d (%s, %s)", i, codec, version).isEqualTo(expected.get(i));
        }
    }

    @Test
    void nestedColumnsFromDuckDbV2WithEveryCodec()
    {
        for (String codec : List.of("gzip", "lz4", "brotli", "uncompressed")) {
            Path file = newFile("duckdb-nested-v2-" + codec + ".parquet");
            duckdb.copy(ParquetNestedTypesTest.DUCKDB_NESTED.replace("$ROWS", "3000"), file, "COMPRESSION %s, PARQUET_VERSION v2, ROW_GROUP_SIZE 2048".formatted(codec));
            Split split = upload("encodings/duckdb-nested-v2-" + codec + ".parquet", file);
            Scan scan = scan(new ParquetPageSourceFactory(store, 777), split, ParquetNestedTypesTest.DUCKDB_NESTED_COLUMNS, TupleDomain.all());
            assertThat(scan.rows()).as(codec).isEqualTo(duckdb.query("SELECT * FROM read_parquet('%s')".formatted(file)));
        }
    }

    @Test
    void unsupportedCodecIsReportedAsNotSupported()
            throws Exception
    {
        // parquet-java cannot write LZO here either: store the pages as they are and call them LZO
        Path file = newFile("lzo.parquet");
        MessageType schema = MessageTypeParser.parseMessageType("message lzo { required int64 id; }");
        CompressionCodecFactory.BytesInputCompressor identity = new CompressionCodecFactory.BytesInputCompressor()
        {
            @Override
            public BytesInput compress(BytesInput bytes)
            {
                return bytes;
            }

            @Override
            public CompressionCodecName getCodecName()
            {
                return CompressionCodecName.LZO;
            }

            @Override
            public void release() {}
        };
        CompressionCodecFactory codecs = new CompressionCodecFactory()
        {
            @Override
            public BytesInputCompressor getCompressor(CompressionCodecName codec)
            {
                return identity;
            }

            @Override
            public BytesInputDecompressor getDecompressor(CompressionCodecName codec)
            {
                throw new UnsupportedOperationException();
            }

            @Override
            public void release() {}
        };
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file)).withConf(new PlainParquetConfiguration())
                .withType(schema).withCodecFactory(codecs).withCompressionCodec(CompressionCodecName.LZO).build()) {
            for (long id = 0; id < 100; id++) {
                writer.write(new SimpleGroupFactory(schema).newGroup().append("id", id));
            }
        }
        assertThat(ParquetTestFiles.footer(file).getBlocks().getFirst().getColumns().getFirst().getCodec()).isEqualTo(CompressionCodecName.LZO);
        Split split = upload("encodings/lzo.parquet", file);
        assertThatThrownBy(() -> scan(new ParquetPageSourceFactory(store), split, columns("id bigint"), TupleDomain.all()))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED);
                    assertThat(e.getMessage()).contains("LZO").contains("BROTLI").contains("s3://parquet-test/encodings/lzo.parquet");
                });
    }

    private static long epochMicros(LocalDateTime timestamp)
    {
        return timestamp.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + timestamp.getNano() / 1_000;
    }

    // ------------------------------------------------------------------ parquet-java

    private static final MessageType PLAIN_TYPES = MessageTypeParser.parseMessageType("""
            message plain_types {
              required int64 id;
              optional int32 i32;
              optional int64 i64;
              optional float f;
              optional double d;
              optional binary s (STRING);
              optional boolean b;
              optional fixed_len_byte_array(8) fixed;
            }
            """);

    static Stream<Arguments> parquetJavaEncodings()
    {
        return Stream.of(
                // v2 without dictionaries: DELTA_BINARY_PACKED, DELTA_BYTE_ARRAY, RLE booleans
                Arguments.of(WriterVersion.PARQUET_2_0, false, false, CompressionCodecName.SNAPPY, Set.of("DELTA_BINARY_PACKED", "DELTA_BYTE_ARRAY", "RLE")),
                // BYTE_STREAM_SPLIT floating point
                Arguments.of(WriterVersion.PARQUET_2_0, false, true, CompressionCodecName.ZSTD, Set.of("BYTE_STREAM_SPLIT")),
                Arguments.of(WriterVersion.PARQUET_1_0, false, true, CompressionCodecName.GZIP, Set.of("BYTE_STREAM_SPLIT", "PLAIN")),
                // dictionaries: RLE_DICTIONARY (v2), PLAIN_DICTIONARY (v1)
                Arguments.of(WriterVersion.PARQUET_2_0, true, false, CompressionCodecName.LZ4_RAW, Set.of("RLE_DICTIONARY")),
                Arguments.of(WriterVersion.PARQUET_1_0, true, false, CompressionCodecName.UNCOMPRESSED, Set.of("PLAIN_DICTIONARY")),
                Arguments.of(WriterVersion.PARQUET_1_0, false, false, CompressionCodecName.LZ4_RAW, Set.of("PLAIN")));
    }

    @ParameterizedTest
    @MethodSource("parquetJavaEncodings")
    void encodingsFromParquetJava(WriterVersion version, boolean dictionary, boolean byteStreamSplit, CompressionCodecName codec, Set<String> expectedEncodings)
    {
        int rows = 7_000;
        Path file = ParquetTestFiles.write(directory, PLAIN_TYPES,
                ParquetTestFiles.WriteOptions.defaults().withVersion(version).withDictionary(dictionary).withByteStreamSplit(byteStreamSplit)
                        .withCodec(codec).withRowGroupRows(3_000).withPageRows(500),
                writer -> {
                    SimpleGroupFactory factory = new SimpleGroupFactory(PLAIN_TYPES);
                    for (long id = 0; id < rows; id++) {
                        Group group = factory.newGroup().append("id", id);
                        if (id % 5 != 1) {
                            group.append("i32", (int) (id % 300 * 7 - 1000))
                                    .append("i64", id * id * 31 - 77)
                                    .append("f", id % 400 / 8.0f)
                                    .append("d", id % 250 * 1.5 - 3)
                                    .append("s", "s-" + id % 700 + (id % 3 == 0 ? "" : "-suffix"))
                                    .append("b", id % 3 == 0)
                                    .append("fixed", org.apache.parquet.io.api.Binary.fromConstantByteArray(longBytes(id % 900)));
                        }
                        writer.write(group);
                    }
                });
        Set<String> encodings = new HashSet<>();
        for (ColumnChunkMetaData chunk : ParquetTestFiles.footer(file).getBlocks().getFirst().getColumns()) {
            chunk.getEncodings().forEach(encoding -> encodings.add(encoding.name()));
            assertThat(chunk.getCodec()).isEqualTo(codec);
        }
        assertThat(encodings).containsAll(expectedEncodings);
        Split split = upload("encodings/parquet-java-%s-%s-%s-%s.parquet".formatted(version, dictionary, byteStreamSplit, codec), file);
        Scan scan = scan(new ParquetPageSourceFactory(store, 999), split,
                columns("id bigint", "i32 integer", "i64 bigint", "f real", "d double", "s varchar", "b boolean", "fixed varbinary"), TupleDomain.all());
        assertThat(scan.rows()).hasSize(rows);
        List<List<Object>> expected = duckdb.query("SELECT id, i32, i64, f, d, s, b, fixed FROM read_parquet('%s')".formatted(file));
        assertThat(scan.rows()).isEqualTo(expected);
    }

    @Test
    void nestedColumnsInV2PagesFromParquetJava()
    {
        Path file = ParquetTestFiles.write(directory, ParquetNestedTypesTest.NESTED,
                ParquetTestFiles.WriteOptions.defaults().withVersion(WriterVersion.PARQUET_2_0).withDictionary(false).withPageRows(250).withRowGroupRows(1_500),
                writer -> ParquetNestedTypesTest.writeNested(writer, 4_000));
        assertThat(ParquetTestFiles.footer(file).getBlocks().getFirst().getColumns()).allMatch(chunk -> chunk.getEncodingStats().usesV2Pages());
        Split split = upload("encodings/nested-v2.parquet", file);
        Scan scan = scan(new ParquetPageSourceFactory(store, 333), split, ParquetNestedTypesTest.NESTED_COLUMNS, TupleDomain.all());
        assertThat(scan.rows()).hasSize(4_000);
        for (int i = 0; i < 4_000; i++) {
            assertThat(scan.rows().get(i)).as("row %d", i).isEqualTo(ParquetNestedTypesTest.expectedNested(i));
        }
    }

    private static byte[] longBytes(long value)
    {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (56 - 8 * i));
        }
        return bytes;
    }
}
