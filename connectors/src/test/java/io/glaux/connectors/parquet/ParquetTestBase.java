package io.glaux.connectors.parquet;

import static io.glaux.connectors.format.ColumnHandle.Kind.REGULAR;
import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.ObjectStoreStats;
import io.glaux.connectors.s3.TestingS3;
import io.glaux.connectors.split.Split;
import io.glaux.spi.type.TypeParser;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** S3Proxy, a scratch directory, DuckDB and a leak-checked allocator for the Parquet reader tests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ParquetTestBase
{
    static final String BUCKET = "parquet-test";

    TestingS3 s3;
    ObjectStore store;
    Path directory;
    BufferAllocator allocator;
    DuckDb duckdb;

    @BeforeAll
    void setUpServer()
            throws Exception
    {
        s3 = new TestingS3();
        store = s3.newStore();
        store.createBucketIfMissing(BUCKET);
        directory = Files.createTempDirectory("glaux-parquet-test");
        duckdb = new DuckDb();
    }

    @AfterAll
    void tearDownServer()
            throws Exception
    {
        duckdb.close();
        store.close();
        s3.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
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

    /** What one scan produced and cost. */
    record Scan(List<List<Object>> rows, long bytesRead, ObjectStoreStats stats, int rowGroupsInSplit, int rowGroupsRead,
            int rowGroupsSkipped, int skippedByDictionary, int skippedByBloomFilter, int skippedByColumnIndex, long pagesSkipped,
            int skippedByValues, int readSelectively) {}

    Scan scan(ParquetPageSourceFactory factory, Split split, List<ColumnHandle> columns, TupleDomain pruning)
    {
        ObjectStoreStats before = store.stats();
        List<List<Object>> rows = new ArrayList<>();
        try (ParquetPageSource source = factory.create(split, columns, pruning, allocator)) {
            while (true) {
                try (VectorSchemaRoot root = source.nextBatch()) {
                    if (root == null) {
                        break;
                    }
                    // a batch without columns (count(*)) holds its row count alone, and may be larger
                    int maxRows = columns.isEmpty() ? Math.max(factory.options().batchSize(), ParquetPageSource.COLUMNLESS_BATCH_ROWS) : factory.options().batchSize();
                    assertThat(root.getRowCount()).isPositive().isLessThanOrEqualTo(maxRows);
                    rows.addAll(CanonicalValues.rows(root));
                }
            }
            assertThat(source.rowsRead()).isEqualTo(rows.size());
            return new Scan(rows, source.bytesRead(), store.stats().minus(before), source.rowGroupsInSplit(), source.rowGroupsRead(),
                    source.rowGroupsSkipped(), source.rowGroupsSkippedByDictionary(), source.rowGroupsSkippedByBloomFilter(),
                    source.rowGroupsSkippedByColumnIndex(), source.pagesSkipped(), source.rowGroupsSkippedByValues(), source.rowGroupsReadSelectively());
        }
    }

    /** Uploads a local file as one whole-file split. */
    Split upload(String key, Path file)
    {
        return ParquetTestFiles.upload(store, BUCKET, key, file, Map.of());
    }

    Path newFile(String name)
    {
        Path file = directory.resolve(name);
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Columns from {@code "name type"} pairs, types in Trino syntax: {@code columns("id bigint", "tags array(varchar)")}. */
    static List<ColumnHandle> columns(String... definitions)
    {
        List<ColumnHandle> columns = new ArrayList<>(definitions.length);
        for (String definition : definitions) {
            int space = definition.indexOf(' ');
            columns.add(new ColumnHandle(definition.substring(0, space), TypeParser.parse(definition.substring(space + 1).trim()), REGULAR));
        }
        return columns;
    }

    static TupleDomain domain(String column, io.glaux.connectors.predicate.Domain domain)
    {
        return new TupleDomain(Map.of(column, domain), false);
    }
}
