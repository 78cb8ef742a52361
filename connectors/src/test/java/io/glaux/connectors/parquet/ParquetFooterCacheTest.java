package io.glaux.connectors.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectStoreStats;
import io.glaux.connectors.split.Split;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The worker's factory keeps parsed footers: splits of one file and repeated scans skip the footer GET.
 * A source can also open its split and fetch its first row group before the first batch is asked for.
 */
class ParquetFooterCacheTest
        extends ParquetTestBase
{
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message t { required int64 id; optional binary name (STRING); }");

    @Test
    void splitsAndRepeatedScansShareTheFooter()
    {
        Path file = ParquetTestFiles.write(directory, SCHEMA, ParquetTestFiles.WriteOptions.defaults().withRowGroupRows(10_000), writer -> {
            SimpleGroupFactory factory = new SimpleGroupFactory(SCHEMA);
            for (long id = 0; id < 40_000; id++) {
                writer.write(factory.newGroup().append("id", id).append("name", "name-" + id % 100));
            }
        });
        Split whole = upload("cache/data.parquet", file);
        assertThat(ParquetTestFiles.footer(file).getBlocks()).hasSize(4);
        ParquetPageSourceFactory cached = new ParquetPageSourceFactory(store);
        ParquetPageSourceFactory uncached = new ParquetPageSourceFactory(store, ParquetReaderOptions.defaults());

        // two splits of the file: the footer is fetched by the first only
        long half = whole.fileSize() / 2;
        Split first = new Split(whole.bucket(), whole.key(), 0, half, whole.fileSize(), whole.lastModifiedMillis(), Map.of());
        Split second = new Split(whole.bucket(), whole.key(), half, whole.fileSize() - half, whole.fileSize(), whole.lastModifiedMillis(), Map.of());
        Scan a = scan(cached, first, columns("id bigint", "name varchar"), TupleDomain.all());
        Scan b = scan(cached, second, columns("id bigint", "name varchar"), TupleDomain.all());
        assertThat(a.rows().size() + b.rows().size()).isEqualTo(40_000);
        assertThat(cached.footerCacheMisses()).isEqualTo(1);
        assertThat(cached.footerCacheHits()).isEqualTo(1);

        // a repeated scan: one GET less than without the cache, same rows
        Scan again = scan(cached, whole, columns("id bigint", "name varchar"), TupleDomain.all());
        Scan fresh = scan(uncached, whole, columns("id bigint", "name varchar"), TupleDomain.all());
        assertThat(again.rows()).isEqualTo(fresh.rows());
        assertThat(again.stats().gets()).isEqualTo(fresh.stats().gets() - 1);
        assertThat(cached.footerCacheHits()).isEqualTo(2);

        // a count(*) of a cached file fetches nothing at all
        Scan count = scan(cached, whole, List.of(), TupleDomain.all());
        assertThat(count.rows()).hasSize(40_000);
        assertThat(count.stats().gets()).isZero();

        // the object rewritten (another size): read afresh
        Path other = ParquetTestFiles.write(directory, SCHEMA, ParquetTestFiles.WriteOptions.defaults(), writer ->
                writer.write(new SimpleGroupFactory(SCHEMA).newGroup().append("id", 7L).append("name", "seven")));
        Split rewritten = upload("cache/data.parquet", other);
        assertThat(scan(cached, rewritten, columns("id bigint", "name varchar"), TupleDomain.all()).rows())
                .containsExactly(List.of(7L, "seven"));
        assertThat(cached.footerCacheMisses()).isEqualTo(2);
    }

    @Test
    void startReadingFetchesAheadOfTheFirstBatch()
    {
        Path file = ParquetTestFiles.write(directory, SCHEMA, ParquetTestFiles.WriteOptions.defaults().withRowGroupRows(10_000), writer -> {
            SimpleGroupFactory factory = new SimpleGroupFactory(SCHEMA);
            for (long id = 0; id < 25_000; id++) {
                writer.write(factory.newGroup().append("id", id).append("name", "name-" + id % 7));
            }
        });
        Split split = upload("ahead/data.parquet", file);
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store, ParquetReaderOptions.defaults());
        Scan plain = scan(factory, split, columns("id bigint", "name varchar"), TupleDomain.all());

        // started ahead: the footer and the first row group are fetched before any batch is asked for
        ObjectStoreStats before = store.stats();
        List<List<Object>> rows = new ArrayList<>();
        try (ParquetPageSource source = factory.create(split, columns("id bigint", "name varchar"), TupleDomain.all(), allocator)) {
            source.startReading();
            source.startReading();
            while (true) {
                try (VectorSchemaRoot root = source.nextBatch()) {
                    if (root == null) {
                        break;
                    }
                    rows.addAll(CanonicalValues.rows(root));
                }
            }
        }
        assertThat(rows).isEqualTo(plain.rows());
        assertThat(store.stats().minus(before).gets()).isEqualTo(plain.stats().gets());

        // started and closed unread: nothing leaks (the allocator is checked after each test)
        try (ParquetPageSource source = factory.create(split, columns("id bigint"), TupleDomain.all(), allocator)) {
            source.startReading();
        }
    }

    @Test
    void footersAreCachedPerCustomerKeyIdentity()
    {
        ParquetFooterCache cache = new ParquetFooterCache(10, 1 << 20);
        Split split = new Split("bucket", "encrypted.parquet", 0, 100, 100, 1234, Map.of());
        ParquetFooter footer = new ParquetFooter(new org.apache.parquet.hadoop.metadata.ParquetMetadata(
                new org.apache.parquet.hadoop.metadata.FileMetaData(SCHEMA, Map.of(), "test"), List.of()), new byte[8], 92, 92);
        int[] reads = new int[1];
        java.util.function.Supplier<ParquetFooter> reader = () -> {
            reads[0]++;
            return footer;
        };
        cache.get(split, "logs-2026#abc", reader);
        cache.get(split, "logs-2026#abc", reader);
        assertThat(reads[0]).isEqualTo(1);
        // a reader without the key, or with another key, never gets the cached footer
        cache.get(split, "", reader);
        cache.get(split, "logs-2026#def", reader);
        assertThat(reads[0]).isEqualTo(3);
    }
}
