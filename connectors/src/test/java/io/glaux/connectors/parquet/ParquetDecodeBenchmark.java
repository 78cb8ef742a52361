package io.glaux.connectors.parquet;

import static io.glaux.connectors.format.ColumnHandle.Kind.REGULAR;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.TestingS3;
import io.glaux.connectors.split.Split;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Not part of the test suite: {@code mvn -o -pl connectors test -Dtest=ParquetDecodeBenchmark -Dglaux.bench=true}.
 * Decode throughput of one thread on demo-like files (log rows, 6 flat columns, 1M rows, SNAPPY): v1
 * pages with dictionaries where parquet-java keeps them, and v2 pages without dictionaries (the DELTA
 * encodings for integers and strings, BYTE_STREAM_SPLIT for the double); the vectorized
 * {@link FlatColumnReader} against parquet-column's per-value {@code ColumnReader} path, 20 scans
 * each, best and median rows/s. {@code -Dglaux.bench.files=v2} measures only the v2 file.
 */
@EnabledIfSystemProperty(named = "glaux.bench", matches = "true")
class ParquetDecodeBenchmark
{
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message logs {
              required int64 id;
              optional binary host (STRING);
              optional binary message (STRING);
              optional double latency;
              optional int64 ts (TIMESTAMP(MICROS,false));
              optional int32 status;
            }
            """);

    @Test
    void decode()
            throws Exception
    {
        Path directory = Files.createTempDirectory("glaux-bench");
        String files = System.getProperty("glaux.bench.files", "v1,v2");
        try (TestingS3 s3 = new TestingS3(); ObjectStore store = s3.newStore()) {
            store.createBucketIfMissing("bench");
            if (files.contains("v1")) {
                measureFile("v1, dictionaries", store, directory, ParquetTestFiles.WriteOptions.defaults());
            }
            if (files.contains("v2")) {
                measureFile("v2, delta", store, directory, ParquetTestFiles.WriteOptions.defaults()
                        .withVersion(ParquetProperties.WriterVersion.PARQUET_2_0).withDictionary(false).withByteStreamSplit(true));
            }
        }
        Files.delete(directory);
    }

    private static void measureFile(String name, ObjectStore store, Path directory, ParquetTestFiles.WriteOptions options)
            throws Exception
    {
        int rows = 1_000_000;
        Path file = ParquetTestFiles.write(directory, SCHEMA, options.withRowGroupRows(250_000).withPageRows(20_000), writer -> {
            SimpleGroupFactory factory = new SimpleGroupFactory(SCHEMA);
            for (long id = 0; id < rows; id++) {
                Group group = factory.newGroup()
                        .append("id", id)
                        .append("host", "host-" + id % 50)
                        .append("message", "GET /api/v1/items/" + id * 7919 % 100_003 + " HTTP/1.1")
                        .append("latency", (id % 1000) / 7.0)
                        .append("ts", 1_700_000_000_000_000L + id * 1000)
                        .append("status", id % 97 == 0 ? 500 : 200);
                if (id % 10 != 0) {
                    writer.write(group);
                }
                else {
                    writer.write(factory.newGroup().append("id", id));
                }
            }
        });
        System.out.printf("%s file: %,d bytes, %,d rows%n", name, Files.size(file), rows);
        Split split = ParquetTestFiles.upload(store, "bench", "bench/" + file.getFileName(), file, Map.of());
        List<ColumnHandle> all = List.of(
                new ColumnHandle("id", Type.BIGINT, REGULAR), new ColumnHandle("host", Type.VARCHAR, REGULAR),
                new ColumnHandle("message", Type.VARCHAR, REGULAR), new ColumnHandle("latency", Type.DOUBLE, REGULAR),
                new ColumnHandle("ts", Type.TIMESTAMP, REGULAR), new ColumnHandle("status", Type.INTEGER, REGULAR));
        List<ColumnHandle> numeric = List.of(new ColumnHandle("id", Type.BIGINT, REGULAR), new ColumnHandle("latency", Type.DOUBLE, REGULAR),
                new ColumnHandle("ts", Type.TIMESTAMP, REGULAR), new ColumnHandle("status", Type.INTEGER, REGULAR));
        for (String columnsName : List.of("all columns", "numeric columns")) {
            List<ColumnHandle> columns = columnsName.equals("all columns") ? all : numeric;
            for (boolean vectorized : List.of(false, true)) {
                measure(name + ", " + columnsName + (vectorized ? ", vectorized" : ", ColumnReader"), store, split, columns,
                        ParquetReaderOptions.defaults().withPrefetch(false).withVectorized(vectorized));
            }
        }
        Files.delete(file);
    }

    private static void measure(String name, ObjectStore store, Split split, List<ColumnHandle> columns, ParquetReaderOptions options)
    {
        int scans = 20;
        double[] rates = new double[scans];
        for (int scan = 0; scan < scans; scan++) {
            long start = System.nanoTime();
            long rows = 0;
            try (BufferAllocator allocator = new RootAllocator();
                    ParquetPageSource source = new ParquetPageSourceFactory(store, options).create(split, columns, TupleDomain.all(), allocator)) {
                for (VectorSchemaRoot root = source.nextBatch(); root != null; root = source.nextBatch()) {
                    rows += root.getRowCount();
                    root.close();
                }
            }
            rates[scan] = rows / ((System.nanoTime() - start) / 1e9);
        }
        java.util.Arrays.sort(rates);
        System.out.printf("%-52s best %,12.0f rows/s, median %,12.0f rows/s%n", name, rates[scans - 1], rates[scans / 2]);
    }
}
