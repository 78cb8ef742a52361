package io.glaux.connectors.parquet;

import static io.glaux.connectors.format.ColumnHandle.Kind.REGULAR;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.ObjectStoreStats;
import io.glaux.connectors.s3.TestingS3;
import io.glaux.connectors.split.Split;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Not part of the test suite: {@code mvn -o -pl connectors test -Dtest=ParquetReadBenchmark -Dglaux.bench=true}.
 * Prints rows/s of this reader (over S3Proxy on loopback) and of parquet-java's example reader (local file).
 */
@EnabledIfSystemProperty(named = "glaux.bench", matches = "true")
class ParquetReadBenchmark
{
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message bench {
              required int64 id;
              optional binary host (STRING);
              optional binary message (STRING);
              optional double latency;
              optional int64 ts (TIMESTAMP(MICROS,false));
              optional int32 status;
            }
            """);

    private static final MessageType NESTED_SCHEMA = MessageTypeParser.parseMessageType("""
            message bench_nested {
              required int64 id;
              optional group tags (LIST) {
                repeated group list {
                  optional binary element (STRING);
                }
              }
              optional group point {
                optional double x;
                optional int64 y;
              }
              optional group attrs (MAP) {
                repeated group key_value {
                  required binary key (STRING);
                  optional int64 value;
                }
              }
            }
            """);

    /** Arrays, rows and maps: 1,000,000 rows, 3 tags, 2 map entries and one row each. */
    @Test
    void scanNested()
            throws Exception
    {
        int rows = 1_000_000;
        Path directory = Files.createTempDirectory("glaux-bench");
        Path file = ParquetTestFiles.write(directory, NESTED_SCHEMA, ParquetTestFiles.WriteOptions.defaults().withRowGroupRows(250_000), writer -> {
            SimpleGroupFactory factory = new SimpleGroupFactory(NESTED_SCHEMA);
            for (long id = 0; id < rows; id++) {
                Group group = factory.newGroup().append("id", id);
                Group tags = group.addGroup("tags");
                for (int t = 0; t < 3; t++) {
                    tags.addGroup("list").append("element", "tag-" + (id + t) % 100);
                }
                group.addGroup("point").append("x", id * 0.5).append("y", id * 3);
                Group attrs = group.addGroup("attrs");
                attrs.addGroup("key_value").append("key", "k" + id % 10).append("value", id);
                attrs.addGroup("key_value").append("key", "z" + id % 10).append("value", -id);
                writer.write(group);
            }
        });
        System.out.printf("nested file: %,d bytes, %,d rows%n", Files.size(file), rows);
        try (TestingS3 s3 = new TestingS3(); ObjectStore store = s3.newStore()) {
            store.createBucketIfMissing("bench");
            Split split = ParquetTestFiles.upload(store, "bench", "bench/nested.parquet", file, Map.of());
            List<ColumnHandle> columns = List.of(
                    new ColumnHandle("id", Type.BIGINT, REGULAR),
                    new ColumnHandle("tags", new Type.Array(Type.VARCHAR), REGULAR),
                    new ColumnHandle("point", new Type.Row(List.of(new Type.Field("x", Type.DOUBLE), new Type.Field("y", Type.BIGINT))), REGULAR),
                    new ColumnHandle("attrs", new Type.MapType(Type.VARCHAR, Type.BIGINT), REGULAR));
            for (int round = 0; round < 4; round++) {
                measure("glaux nested     ", store, split, columns);
            }
        }
        Files.delete(file);
        Files.delete(directory);
    }

    @Test
    void scan()
            throws Exception
    {
        int rows = 2_000_000;
        Path directory = Files.createTempDirectory("glaux-bench");
        Path file = ParquetTestFiles.write(directory, SCHEMA, ParquetTestFiles.WriteOptions.defaults().withRowGroupRows(250_000), writer -> {
            SimpleGroupFactory factory = new SimpleGroupFactory(SCHEMA);
            for (long id = 0; id < rows; id++) {
                Group group = factory.newGroup()
                        .append("id", id)
                        .append("host", "host-" + id % 50)
                        .append("message", "GET /api/v1/items/" + id * 7919 % 100_003 + " HTTP/1.1")
                        .append("latency", (id % 1000) / 7.0)
                        .append("ts", 1_700_000_000_000_000L + id * 1000)
                        .append("status", id % 97 == 0 ? 500 : 200);
                writer.write(group);
            }
        });
        System.out.printf("file: %,d bytes, %,d rows%n", Files.size(file), rows);
        try (TestingS3 s3 = new TestingS3(); ObjectStore store = s3.newStore()) {
            store.createBucketIfMissing("bench");
            Split split = ParquetTestFiles.upload(store, "bench", "bench/data.parquet", file, Map.of());
            List<ColumnHandle> all = List.of(
                    new ColumnHandle("id", Type.BIGINT, REGULAR), new ColumnHandle("host", Type.VARCHAR, REGULAR),
                    new ColumnHandle("message", Type.VARCHAR, REGULAR), new ColumnHandle("latency", Type.DOUBLE, REGULAR),
                    new ColumnHandle("ts", Type.TIMESTAMP, REGULAR), new ColumnHandle("status", Type.INTEGER, REGULAR));
            List<ColumnHandle> two = List.of(new ColumnHandle("status", Type.INTEGER, REGULAR), new ColumnHandle("latency", Type.DOUBLE, REGULAR));
            for (int round = 0; round < 4; round++) {
                measure("glaux all columns", store, split, all);
                measure("glaux 2 columns  ", store, split, two);
                measure("glaux no prefetch", store, split, all, ParquetReaderOptions.defaults().withPrefetch(false));
                long start = System.nanoTime();
                long count = 0;
                ParquetReader.Builder<Group> builder = new ParquetReader.Builder<>(new LocalInputFile(file), new PlainParquetConfiguration())
                {
                    @Override
                    protected org.apache.parquet.hadoop.api.ReadSupport<Group> getReadSupport()
                    {
                        return new GroupReadSupport();
                    }
                };
                try (ParquetReader<Group> reader = builder.build()) {
                    while (reader.read() != null) {
                        count++;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("parquet-java example reader (local file, all columns): %,d rows in %.3f s = %,.0f rows/s%n", count, seconds, count / seconds);
            }
        }
        Files.delete(file);
        Files.delete(directory);
    }

    private static void measure(String name, ObjectStore store, Split split, List<ColumnHandle> columns)
    {
        measure(name, store, split, columns, ParquetReaderOptions.defaults());
    }

    private static void measure(String name, ObjectStore store, Split split, List<ColumnHandle> columns, ParquetReaderOptions options)
    {
        ObjectStoreStats before = store.stats();
        long start = System.nanoTime();
        long rows = 0;
        long bytes;
        try (BufferAllocator allocator = new RootAllocator();
                ParquetPageSource source = new ParquetPageSourceFactory(store, options).create(split, columns, TupleDomain.all(), allocator)) {
            for (VectorSchemaRoot root = source.nextBatch(); root != null; root = source.nextBatch()) {
                rows += root.getRowCount();
                root.close();
            }
            bytes = source.bytesRead();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ObjectStoreStats delta = store.stats().minus(before);
        System.out.printf("%s: %,d rows in %.3f s = %,.0f rows/s, %,d bytes fetched (%.1f MB/s) in %d GETs%n",
                name, rows, seconds, rows / seconds, bytes, bytes / seconds / 1e6, delta.gets());
    }
}
