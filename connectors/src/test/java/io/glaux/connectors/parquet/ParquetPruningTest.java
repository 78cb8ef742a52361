package io.glaux.connectors.parquet;

import static io.glaux.connectors.parquet.CanonicalValues.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Skipping beyond row-group statistics: column index / offset index pages, dictionaries, bloom filters. */
class ParquetPruningTest
        extends ParquetTestBase
{
    private static final MessageType PAGED = MessageTypeParser.parseMessageType("""
            message paged {
              required int64 id;
              required int64 x;
              optional binary payload (STRING);
              optional group tags (LIST) {
                repeated group list {
                  optional binary element (STRING);
                }
              }
            }
            """);

    private static long x(long id)
    {
        // pages of 1,000 rows alternate between small and large values: row-group min/max span everything
        long page = id / 1_000;
        return page % 2 == 0 ? id % 1_000 : 1_000_000 + id;
    }

    private static String payload(long id)
    {
        return "payload-%d-%016x-%016x".formatted(id, id * 0x9E3779B97F4A7C15L, Long.reverse(id) ^ 0xC2B2AE3D27D4EB4FL);
    }

    private static List<Object> tags(long id)
    {
        return id % 3 == 0 ? null : list("a" + id, id % 3 == 1 ? null : "b" + id);
    }

    private Split pagedFile(String key, int rows, int rowGroupRows)
    {
        Path file = ParquetTestFiles.write(directory, PAGED,
                ParquetTestFiles.WriteOptions.defaults().withRowGroupRows(rowGroupRows).withPageRows(1_000).withDictionary(false),
                writer -> {
                    SimpleGroupFactory factory = new SimpleGroupFactory(PAGED);
                    for (long id = 0; id < rows; id++) {
                        Group group = factory.newGroup().append("id", id).append("x", x(id)).append("payload", payload(id));
                        List<Object> tags = tags(id);
                        if (tags != null) {
                            Group list = group.addGroup("tags");
                            for (Object tag : tags) {
                                Group element = list.addGroup("list");
                                if (tag != null) {
                                    element.append("element", (String) tag);
                                }
                            }
                        }
                        writer.write(group);
                    }
                });
        BlockMetaData block = ParquetTestFiles.footer(file).getBlocks().getFirst();
        for (ColumnChunkMetaData chunk : block.getColumns()) {
            assertThat(chunk.getColumnIndexReference()).as("column index of %s", chunk.getPath()).isNotNull();
            assertThat(chunk.getOffsetIndexReference()).as("offset index of %s", chunk.getPath()).isNotNull();
        }
        return upload(key, file);
    }

    private static final List<ColumnHandle> PAGED_COLUMNS = columns("id bigint", "payload varchar", "tags array(varchar)");

    private static void assertPagedRows(List<List<Object>> rows)
    {
        for (List<Object> row : rows) {
            long id = (Long) row.get(0);
            assertThat(row).as("row of id %d", id).isEqualTo(list(id, payload(id), tags(id)));
        }
    }

    private static List<Long> ids(List<List<Object>> rows)
    {
        List<Long> ids = new ArrayList<>();
        for (List<Object> row : rows) {
            ids.add((Long) row.getFirst());
        }
        return ids;
    }

    @Test
    void columnIndexReadsOnlyTheMatchingPages()
    {
        Split split = pagedFile("pruning/paged.parquet", 100_000, 1_000_000);
        // no merging of near ranges, so skipped pages are not fetched to fill a gap
        ParquetReaderOptions options = ParquetReaderOptions.defaults().withMaxMergeGap(0);
        ParquetPageSourceFactory withIndex = new ParquetPageSourceFactory(store, options.withBatchSize(700));
        ParquetPageSourceFactory withoutIndex = new ParquetPageSourceFactory(store, options.withColumnIndex(false));
        TupleDomain idRange = domain("id", new Domain(List.of(new Range(50_500L, true, 50_600L, true)), false));

        Scan full = scan(withoutIndex, split, PAGED_COLUMNS, idRange);
        assertThat(full.rows()).hasSize(100_000);
        assertThat(full.pagesSkipped()).isZero();

        Scan paged = scan(withIndex, split, PAGED_COLUMNS, idRange);
        // the rows of the one id page holding the range, with every column synchronized to them
        assertThat(ids(paged.rows())).containsSequence(List.of(50_500L, 50_501L)).contains(50_600L);
        assertThat(paged.rows().size()).isBetween(101, 2_000);
        assertPagedRows(paged.rows());
        assertThat(paged.pagesSkipped()).isGreaterThan(200);
        assertThat(paged.rowGroupsRead()).isEqualTo(1);
        // proof of fewer bytes: under 5% of what the scan without the index fetched
        assertThat(paged.bytesRead()).isLessThan(full.bytesRead() / 20);
        System.out.printf("column index: %,d bytes fetched instead of %,d (%d pages skipped)%n", paged.bytesRead(), full.bytesRead(), paged.pagesSkipped());

        // with the default 1 MiB merge gap the skipped pages between selected ones may be fetched, never decoded
        Scan merged = scan(new ParquetPageSourceFactory(store), split, PAGED_COLUMNS, idRange);
        assertThat(ids(merged.rows())).isEqualTo(ids(paged.rows()));
        assertPagedRows(merged.rows());
        assertThat(merged.pagesSkipped()).isEqualTo(paged.pagesSkipped());

        // IN over two distant pages
        Scan twoPages = scan(withIndex, split, PAGED_COLUMNS, domain("id", new Domain(List.of(Range.equal(10L), Range.equal(99_990L)), false)));
        assertThat(ids(twoPages.rows())).contains(10L, 99_990L).doesNotContain(50_000L);
        assertThat(twoPages.rows().size()).isLessThanOrEqualTo(4_000);
        assertPagedRows(twoPages.rows());

        // two domains: the intersection of their pages
        Scan both = scan(withIndex, split, columns("id bigint", "payload varchar", "tags array(varchar)", "x bigint"), new TupleDomain(java.util.Map.of(
                "id", new Domain(List.of(new Range(null, false, 30_000L, false)), false),
                "x", new Domain(List.of(new Range(1_000_000L, true, null, false)), false)), false));
        assertThat(both.rows()).isNotEmpty();
        assertThat(ids(both.rows())).allMatch(id -> id < 30_000 && (id / 1_000) % 2 == 1);
        assertThat(both.rows()).hasSize(15_000);
        for (List<Object> row : both.rows()) {
            long id = (Long) row.getFirst();
            assertThat(row).isEqualTo(list(id, payload(id), tags(id), x(id)));
        }
    }

    @Test
    void columnIndexSkipsRowGroupsStatisticsCannot()
    {
        Split split = pagedFile("pruning/paged-groups.parquet", 40_000, 10_000);
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store, ParquetReaderOptions.defaults().withMaxMergeGap(0));
        List<ColumnHandle> columns = columns("id bigint", "x bigint", "payload varchar");
        // x in [5,000, 6,000): inside every row group's [min, max], but in no page's
        TupleDomain gap = domain("x", new Domain(List.of(new Range(5_000L, true, 6_000L, false)), false));
        Scan scan = scan(factory, split, columns, gap);
        assertThat(scan.rows()).isEmpty();
        assertThat(scan.skippedByColumnIndex()).isEqualTo(4);
        assertThat(scan.rowGroupsSkipped()).isEqualTo(4);
        assertThat(scan.rowGroupsRead()).isZero();

        // x = 1,011,345 (row 11,345): the second row group only, and one of its pages
        Scan one = scan(factory, split, columns, domain("x", new Domain(List.of(Range.equal(1_011_345L)), false)));
        assertThat(ids(one.rows())).contains(11_345L);
        assertThat(one.rows().size()).isLessThanOrEqualTo(1_000);
        assertThat(one.rowGroupsRead()).isEqualTo(1);
        for (List<Object> row : one.rows()) {
            long id = (Long) row.getFirst();
            assertThat(row).isEqualTo(list(id, x(id), payload(id)));
        }
    }

    // ------------------------------------------------------------------ dictionaries

    private static final MessageType CATEGORIES = MessageTypeParser.parseMessageType("""
            message categories {
              required int64 id;
              optional binary category (STRING);
              required int32 tens;
              optional binary note (STRING);
            }
            """);

    /** Two row groups: categories c0..c4 and tens 0..40 in the first, c5..c9 and 50..90 in the second. */
    private Split categoriesFile(String key, boolean bloomFilters)
    {
        ParquetTestFiles.WriteOptions options = ParquetTestFiles.WriteOptions.defaults().withRowGroupRows(5_000);
        if (bloomFilters) {
            options = options.withBloomFilter("category", "tens");
        }
        Path file = ParquetTestFiles.write(directory, CATEGORIES, options, writer -> {
            SimpleGroupFactory factory = new SimpleGroupFactory(CATEGORIES);
            for (long id = 0; id < 10_000; id++) {
                int category = (int) (id / 5_000 * 5 + id % 5);
                writer.write(factory.newGroup().append("id", id).append("category", "c" + category).append("tens", category * 10)
                        .append("note", "note for row %d: %016x %016x".formatted(id, id * 0x9E3779B97F4A7C15L, Long.reverse(id * 31))));
            }
        });
        return upload(key, file);
    }

    @Test
    void dictionarySkipsRowGroupsStatisticsCannot()
    {
        Split split = categoriesFile("pruning/categories.parquet", false);
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store);
        List<ColumnHandle> columns = columns("id bigint", "category varchar", "tens integer", "note varchar");

        Scan all = scan(factory, split, columns, TupleDomain.all());
        assertThat(all.rows()).hasSize(10_000);

        // 'c3x' lies between min c0 and max c4 of the first row group, and is no dictionary value of either
        Scan absent = scan(factory, split, columns, domain("category", new Domain(List.of(Range.equal("c3x"), Range.equal("c7x")), false)));
        assertThat(absent.rows()).isEmpty();
        assertThat(absent.skippedByDictionary()).isEqualTo(2);
        assertThat(absent.bytesRead()).isLessThan(all.bytesRead() / 4);

        // a range between dictionary values: tens in (31, 39) (the second row group's statistics, 50..90, rule it out too)
        Scan between = scan(factory, split, columns, domain("tens", new Domain(List.of(new Range(31L, false, 39L, false)), false)));
        assertThat(between.rows()).isEmpty();
        assertThat(between.rowGroupsSkipped()).isEqualTo(2);
        assertThat(between.skippedByDictionary()).isEqualTo(1);

        // a present value: only the other row group is skipped (by its statistics, c0..c4)
        Scan present = scan(factory, split, columns, domain("category", new Domain(List.of(Range.equal("c7")), false)));
        assertThat(present.rowGroupsSkipped()).isEqualTo(1);
        assertThat(present.skippedByDictionary()).isZero();
        assertThat(present.rows()).hasSize(5_000);
        assertThat(present.rows()).anyMatch(row -> row.get(1).equals("c7"));

        // disabled: both row groups read
        Scan disabled = scan(new ParquetPageSourceFactory(store, ParquetReaderOptions.defaults().withDictionary(false)), split, columns,
                domain("category", new Domain(List.of(Range.equal("c3x"), Range.equal("c7x")), false)));
        assertThat(disabled.rowGroupsRead()).isEqualTo(2);
        assertThat(disabled.skippedByDictionary()).isZero();
    }

    @Test
    void dictionaryOfDuckDbFiles()
    {
        Path file = newFile("duckdb-dictionary.parquet");
        // DuckDB cuts row groups at multiples of 2,048 rows
        duckdb.copy("SELECT i AS id, 'c' || (i // 6144 * 5 + i % 5) AS category, (i // 6144 * 5 + i % 5) * 10 AS tens FROM range(24576) t(i)",
                file, "ROW_GROUP_SIZE 6144");
        Split split = upload("pruning/duckdb-dictionary.parquet", file);
        // DuckDB also writes bloom filters for dictionary-encoded columns: leave them out here
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store, ParquetReaderOptions.defaults().withBloomFilter(false));
        List<ColumnHandle> columns = columns("id bigint", "category varchar", "tens bigint");
        Scan absent = scan(factory, split, columns, domain("category", new Domain(List.of(Range.equal("c3x")), false)));
        assertThat(absent.rows()).isEmpty();
        // 'c3x' sorts outside c5..c9, c10..c14 and c15..c19: statistics skip those row groups, the dictionary the first
        assertThat(absent.rowGroupsInSplit()).isEqualTo(4);
        assertThat(absent.rowGroupsSkipped()).isEqualTo(4);
        assertThat(absent.skippedByDictionary()).isEqualTo(1);
        Scan between = scan(factory, split, columns, domain("tens", new Domain(List.of(new Range(61L, true, 69L, true)), false)));
        assertThat(between.rows()).isEmpty();
        assertThat(between.skippedByDictionary()).isEqualTo(1);
        Scan present = scan(factory, split, columns, domain("tens", new Domain(List.of(Range.equal(70L)), false)));
        assertThat(present.rows()).hasSize(6_144).anyMatch(row -> row.get(2).equals(70L));
        assertThat(present.rowGroupsRead()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ bloom filters

    private static final MessageType USERS = MessageTypeParser.parseMessageType("""
            message users {
              required int64 id;
              optional binary user (STRING);
              optional int64 session;
            }
            """);

    @Test
    void bloomFilterSkipsRowGroupsStatisticsCannot()
    {
        Path file = ParquetTestFiles.write(directory, USERS,
                ParquetTestFiles.WriteOptions.defaults().withRowGroupRows(20_000).withDictionary(false).withBloomFilter("user", "session"),
                writer -> {
                    SimpleGroupFactory factory = new SimpleGroupFactory(USERS);
                    for (long id = 0; id < 40_000; id++) {
                        writer.write(factory.newGroup().append("id", id).append("user", "user-%08x".formatted(id * 2654435761L & 0xFFFFFFFFL))
                                .append("session", id * 2));
                    }
                });
        for (ColumnChunkMetaData chunk : ParquetTestFiles.footer(file).getBlocks().getFirst().getColumns()) {
            if (!chunk.getPath().toDotString().equals("id")) {
                assertThat(chunk.getBloomFilterOffset()).as("bloom filter of %s", chunk.getPath()).isPositive();
            }
        }
        Split split = upload("pruning/users.parquet", file);
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store);
        List<ColumnHandle> columns = columns("id bigint", "user varchar", "session bigint");

        Scan all = scan(factory, split, columns, TupleDomain.all());
        // absent values inside every row group's min/max: only bloom filters can tell
        Scan absent = scan(factory, split, columns, domain("user", new Domain(List.of(Range.equal("user-7fffffff"), Range.equal("user-00000001")), false)));
        assertThat(absent.rows()).isEmpty();
        assertThat(absent.skippedByBloomFilter()).isEqualTo(2);
        assertThat(absent.bytesRead()).isLessThan(all.bytesRead() / 4);

        // an odd session: statistics rule out the second row group, the bloom filter the first
        Scan odd = scan(factory, split, columns, domain("session", new Domain(List.of(Range.equal(12_345L)), false)));
        assertThat(odd.rows()).isEmpty();
        assertThat(odd.rowGroupsSkipped()).isEqualTo(2);
        assertThat(odd.skippedByBloomFilter()).isEqualTo(1);

        // a present value: its row group is read
        String present = "user-%08x".formatted(30_000L * 2654435761L & 0xFFFFFFFFL);
        Scan hit = scan(factory, split, columns, domain("user", new Domain(List.of(Range.equal(present)), false)));
        assertThat(hit.skippedByBloomFilter()).isLessThanOrEqualTo(1);
        assertThat(hit.rows()).anyMatch(row -> row.get(1).equals(present));

        // "= v OR IS NULL": the statistics say the column has no NULL, so the bloom filter still decides
        Scan orNull = scan(factory, split, columns, domain("session", new Domain(List.of(Range.equal(12_345L)), true)));
        assertThat(orNull.skippedByBloomFilter()).isEqualTo(1);

        Scan disabled = scan(new ParquetPageSourceFactory(store, ParquetReaderOptions.defaults().withBloomFilter(false)), split, columns,
                domain("session", new Domain(List.of(Range.equal(12_345L)), false)));
        assertThat(disabled.rowGroupsRead()).isEqualTo(1);
        assertThat(disabled.skippedByBloomFilter()).isZero();
    }

    @Test
    void bloomFilterOfDuckDbFiles()
    {
        Path file = newFile("duckdb-bloom.parquet");
        // DuckDB writes bloom filters for dictionary-encoded columns; row group g holds codes 6k + 2g (k < 1,000)
        duckdb.copy("SELECT i AS id, 'user-' || ((i % 1000) * 6 + i // 10240 * 2) AS user, (i % 1000) * 6 + i // 10240 * 2 AS code FROM range(30720) t(i)",
                file, "ROW_GROUP_SIZE 10240");
        Split split = upload("pruning/duckdb-bloom.parquet", file);
        // only the bloom filter may prune here
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store, ParquetReaderOptions.defaults().withDictionary(false));
        List<ColumnHandle> columns = columns("id bigint", "user varchar", "code bigint");
        // an odd code lies inside every row group's min/max
        Scan absent = scan(factory, split, columns, domain("code", new Domain(List.of(Range.equal(1_001L)), false)));
        assertThat(absent.rows()).isEmpty();
        assertThat(absent.skippedByBloomFilter()).isEqualTo(absent.rowGroupsInSplit()).isEqualTo(3);
        Scan absentUser = scan(factory, split, columns, domain("user", new Domain(List.of(Range.equal("user-1001"), Range.equal("user-3001")), false)));
        assertThat(absentUser.rows()).isEmpty();
        assertThat(absentUser.rowGroupsSkipped()).isEqualTo(3);
        assertThat(absentUser.skippedByBloomFilter()).isPositive();
        Scan hit = scan(factory, split, columns, domain("code", new Domain(List.of(Range.equal(692L)), false)));
        assertThat(hit.rows()).hasSize(10_240).anyMatch(row -> row.get(2).equals(692L));
        assertThat(hit.skippedByBloomFilter()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ values of a selective filter's column

    @Test
    void pointLookupReadsTheOtherColumnsOnlyWhereTheIdMatches()
    {
        // DuckDB's layout of a log table: ids whose text sorts out of numeric order (so that row-group min/max
        // cover 'req-12345' in several row groups), plain-encoded (unique), one data page per chunk, no page index
        Path file = newFile("duckdb-requests.parquet");
        duckdb.copy("SELECT 'req-' || i AS request_id, i * 7 AS bytes, 'GET /item/' || (i % 977) || '?q=' || md5(i::VARCHAR) AS request,"
                + " (i % 5)::INTEGER AS status FROM range(40960) t(i)", file, "ROW_GROUP_SIZE 8192");
        Split split = upload("pruning/duckdb-requests.parquet", file);
        List<ColumnHandle> columns = columns("request_id varchar", "bytes bigint", "request varchar", "status integer");
        TupleDomain lookup = domain("request_id", new Domain(List.of(Range.equal("req-12345")), false));
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store);
        ParquetPageSourceFactory without = new ParquetPageSourceFactory(store, ParquetReaderOptions.defaults().withValueFilter(false));

        Scan plain = scan(without, split, columns, lookup);
        Scan checked = scan(factory, split, columns, lookup);
        // statistics keep row group 0 (min 'req-0', max 'req-999') and row group 1 (min 'req-10000', max 'req-9999'), which holds the row
        assertThat(plain.rowGroupsInSplit()).isEqualTo(5);
        assertThat(plain.rowGroupsRead()).isEqualTo(2);
        assertThat(plain.rows()).hasSize(2 * 8192);
        assertThat(checked.rowGroupsRead()).isEqualTo(1);
        assertThat(checked.skippedByValues()).isEqualTo(1);
        assertThat(checked.rowGroupsSkipped()).isEqualTo(4);
        assertThat(checked.readSelectively()).isEqualTo(1);
        // only the matching row is decoded, with every column aligned to it
        assertThat(checked.rows()).isEqualTo(duckdb.query("SELECT 'req-' || i, i * 7, 'GET /item/' || (i % 977) || '?q=' || md5(i::VARCHAR), (i % 5)::INTEGER"
                + " FROM range(40960) t(i) WHERE i = 12345"));
        // the row group without a match cost only its id chunk
        assertThat(checked.bytesRead()).isLessThan(plain.bytesRead() * 3 / 4);
        System.out.printf("point lookup: %,d bytes fetched instead of %,d%n", checked.bytesRead(), plain.bytesRead());

        // IN with NULL allowed, over ids in two row groups and one absent id
        Scan in = scan(factory, split, columns, domain("request_id",
                new Domain(List.of(Range.equal("req-12"), Range.equal("req-12345"), Range.equal("req-12345x")), true)));
        assertThat(in.rows()).extracting(row -> row.getFirst()).containsExactly("req-12", "req-12345");
        assertThat(in.readSelectively()).isEqualTo(2);

        // an integer id, and a domain the matcher cannot check (a range): every row of the kept row groups
        Scan byBytes = scan(factory, split, columns, domain("bytes", new Domain(List.of(Range.equal(7L * 20_000), Range.equal(7L * 20_001)), false)));
        assertThat(byBytes.rows()).extracting(row -> row.get(1)).containsExactly(140_000L, 140_007L);
        assertThat(byBytes.readSelectively()).isEqualTo(1);
        Scan range = scan(factory, split, columns, domain("bytes", new Domain(List.of(new Range(7L * 20_000, true, 7L * 20_001, true)), false)));
        assertThat(range.rows()).hasSize(8192);
        assertThat(range.readSelectively()).isZero();

    }
}
