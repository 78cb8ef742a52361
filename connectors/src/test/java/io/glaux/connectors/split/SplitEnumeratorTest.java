package io.glaux.connectors.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.ObjectStoreStats;
import io.glaux.connectors.s3.TestingS3;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.Optional;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SplitEnumeratorTest
{
    private static final String BUCKET = "splits-test";

    private TestingS3 s3;
    private ObjectStore store;

    @BeforeAll
    void setUp()
            throws Exception
    {
        s3 = new TestingS3();
        store = s3.newStore();
        store.createBucketIfMissing(BUCKET);
        put("tbl/dt=2024-01-01/a.parquet", 100);
        put("tbl/dt=2024-01-01/_SUCCESS", 0);
        put("tbl/dt=2024-01-01/.a.parquet.crc", 10);
        put("tbl/dt=2024-01-01/_temporary/0/part-0", 10);
        put("tbl/dt=2024-01-01/.hive-staging_1/x", 10);
        put("tbl/dt=2024-01-01/empty.parquet", 0);
        put("tbl/dt=2024-01-01/sub/", 0);
        put("tbl/dt=2024-01-01/sub/b.parquet", 250);
        put("tbl/dt=2024-01-01/c.parquet", 210);
        put("tbl/dt=2024-01-02/d.parquet", 50);
        put("tbl/dt=2024-01-010/not-this-partition.parquet", 10);
    }

    private void put(String key, int size)
    {
        store.put(BUCKET, key, new byte[size]);
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        store.close();
        s3.close();
    }

    @Test
    void splitsSkipHiddenEmptyAndMarkerObjects()
    {
        SplitEnumerator enumerator = new SplitEnumerator(store, 100);
        List<SplitEnumerator.Location> locations = List.of(
                new SplitEnumerator.Location("s3://splits-test/tbl/dt=2024-01-01", Map.of("dt", "2024-01-01")),
                new SplitEnumerator.Location("s3://splits-test/tbl/dt=2024-01-02/", Map.of("dt", "2024-01-02")));
        List<Split> splits = enumerator.splits(locations).toList();
        assertThat(splits).extracting(split -> split.key() + "@" + split.start() + "+" + split.length()).containsExactly(
                "tbl/dt=2024-01-01/a.parquet@0+100",
                "tbl/dt=2024-01-01/c.parquet@0+100",
                "tbl/dt=2024-01-01/c.parquet@100+110",
                "tbl/dt=2024-01-01/sub/b.parquet@0+100",
                "tbl/dt=2024-01-01/sub/b.parquet@100+100",
                "tbl/dt=2024-01-01/sub/b.parquet@200+50",
                "tbl/dt=2024-01-02/d.parquet@0+50");
        assertThat(splits.getFirst().partitionValues()).isEqualTo(Map.of("dt", "2024-01-01"));
        assertThat(splits.getLast().partitionValues()).isEqualTo(Map.of("dt", "2024-01-02"));
        assertThat(splits.getFirst().fileSize()).isEqualTo(100);
        assertThat(splits.getFirst().lastModifiedMillis()).isGreaterThan(0);
        assertThat(splits.getFirst().path()).isEqualTo("s3://splits-test/tbl/dt=2024-01-01/a.parquet");

        // not splittable: one split per object
        assertThat(enumerator.splits(locations, false).map(split -> split.length()).toList()).containsExactly(100L, 210L, 250L, 50L);
        // default split size
        assertThat(new SplitEnumerator(store).splits(locations).count()).isEqualTo(4);
    }

    @Test
    void splittableByKey()
    {
        store.put(BUCKET, "text/a.txt", new byte[250]);
        store.put(BUCKET, "text/b.txt.gz", new byte[250]);
        store.put(BUCKET, "text/c.txt.zst", new byte[50]);
        SplitEnumerator enumerator = new SplitEnumerator(store, 100);
        List<Split> splits = enumerator.splits(List.of(SplitEnumerator.Location.of("s3://splits-test/text/")),
                key -> io.glaux.connectors.format.TableFormats.isSplittable("text", Map.of(), key)).toList();
        assertThat(splits).extracting(split -> split.key() + "@" + split.start() + "+" + split.length()).containsExactly(
                "text/a.txt@0+100",
                "text/a.txt@100+100",
                "text/a.txt@200+50",
                "text/b.txt.gz@0+250",
                "text/c.txt.zst@0+50");
    }

    @Test
    void splitsAreProducedWhileListing()
    {
        SplitEnumerator enumerator = new SplitEnumerator(store);
        ObjectStoreStats before = store.stats();
        Optional<Split> first = enumerator.splits(List.of(
                SplitEnumerator.Location.of("s3://splits-test/tbl/dt=2024-01-01/"),
                SplitEnumerator.Location.of("s3://splits-test/tbl/dt=2024-01-02/"))).findFirst();
        assertThat(first).isPresent();
        // the second location was never listed
        assertThat(store.stats().minus(before).lists()).isEqualTo(1);
    }

    @Test
    void namedObjectsAreStatedNotListed()
    {
        SplitEnumerator enumerator = new SplitEnumerator(store, 100);
        SplitEnumerator.Location location = new SplitEnumerator.Location("s3://splits-test/tbl/dt=2024-01-01/", Map.of("dt", "2024-01-01"))
                .withKeys(List.of("tbl/dt=2024-01-01/c.parquet", "tbl/dt=2024-01-01/missing.parquet", "tbl/dt=2024-01-02/d.parquet",
                        "tbl/dt=2024-01-01/_SUCCESS", "tbl/dt=2024-01-01/c.parquet"));
        ObjectStoreStats before = store.stats();
        List<Split> splits = enumerator.splits(List.of(location)).toList();
        ObjectStoreStats used = store.stats().minus(before);
        // the key outside the location is not asked for; a missing one has no splits; hidden ones are skipped
        assertThat(splits).extracting(split -> split.key() + "@" + split.start() + "+" + split.length() + " " + split.partitionValues())
                .containsExactly("tbl/dt=2024-01-01/c.parquet@0+100 {dt=2024-01-01}", "tbl/dt=2024-01-01/c.parquet@100+110 {dt=2024-01-01}");
        assertThat(used.lists()).isZero();
        assertThat(used.heads()).isEqualTo(2);
    }

    @Test
    void keyPrefixNarrowsTheListing()
    {
        SplitEnumerator enumerator = new SplitEnumerator(store);
        SplitEnumerator.Location table = SplitEnumerator.Location.of("s3://splits-test/tbl/");
        assertThat(enumerator.splits(List.of(table.withKeyPrefix("tbl/dt=2024-01-01/s"))).map(Split::key).toList())
                .containsExactly("tbl/dt=2024-01-01/sub/b.parquet");
        // a prefix above the location lists the location; one beside it lists nothing
        assertThat(enumerator.splits(List.of(table.withKeyPrefix("tb"))).count()).isEqualTo(5);
        ObjectStoreStats before = store.stats();
        assertThat(enumerator.splits(List.of(table.withKeyPrefix("other/"))).count()).isZero();
        assertThat(store.stats().minus(before).lists()).isZero();
    }

    @Test
    void largeListingsArePaged()
    {
        for (int i = 0; i < 2_500; i++) {
            store.put(BUCKET, "many/part-%05d.txt".formatted(i), new byte[1]);
        }
        SplitEnumerator enumerator = new SplitEnumerator(store);
        ObjectStoreStats before = store.stats();
        var splits = enumerator.iterator(List.of(SplitEnumerator.Location.of("s3://splits-test/many/")), true);
        for (int i = 0; i < 10; i++) {
            splits.next();
        }
        // the first splits come from the first page of 1,000 keys
        assertThat(store.stats().minus(before).lists()).isEqualTo(1);
        int count = 10;
        while (splits.hasNext()) {
            splits.next();
            count++;
        }
        assertThat(count).isEqualTo(2_500);
        assertThat(store.stats().minus(before).lists()).isEqualTo(3);
    }

    @Test
    void missingLocationsAndBuckets()
    {
        SplitEnumerator enumerator = new SplitEnumerator(store);
        assertThat(enumerator.splits(List.of(SplitEnumerator.Location.of("s3://splits-test/nothing-here/"))).toList()).isEmpty();
        assertThatThrownBy(() -> enumerator.splits(List.of(SplitEnumerator.Location.of("s3://no-such-bucket/x/"))).toList())
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_NOT_FOUND));
        assertThatThrownBy(() -> new SplitEnumerator(store, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hiddenPaths()
    {
        assertThat(SplitEnumerator.isHidden("a.parquet")).isFalse();
        assertThat(SplitEnumerator.isHidden("dt=1/a.parquet")).isFalse();
        assertThat(SplitEnumerator.isHidden("_SUCCESS")).isTrue();
        assertThat(SplitEnumerator.isHidden(".crc")).isTrue();
        assertThat(SplitEnumerator.isHidden("_temporary/0/x")).isTrue();
        assertThat(SplitEnumerator.isHidden("dir/")).isTrue();
        assertThat(SplitEnumerator.isHidden("")).isTrue();
    }

    @Test
    void oneListingOfTheTableFindsThePartitionsObjects()
    {
        SplitEnumerator enumerator = new SplitEnumerator(store, 100);
        List<SplitEnumerator.Location> partitions = List.of(
                new SplitEnumerator.Location("s3://splits-test/tbl/dt=2024-01-01", Map.of("dt", "2024-01-01")),
                new SplitEnumerator.Location("s3://splits-test/tbl/dt=2024-01-02/", Map.of("dt", "2024-01-02")));
        ObjectStoreStats before = store.stats();
        List<Split> each = enumerator.splits(partitions).toList();
        ObjectStoreStats perPartition = store.stats().minus(before);

        assertThat(SplitEnumerator.groupable("s3://splits-test/tbl", partitions)).isTrue();
        before = store.stats();
        List<Split> grouped = new java.util.ArrayList<>();
        enumerator.iterator("s3://splits-test/tbl/", partitions, _ -> true).forEachRemaining(grouped::add);
        ObjectStoreStats once = store.stats().minus(before);
        // the same splits (dt=2024-01-010/, an unregistered partition, and hidden objects left out), with one LIST instead of two
        assertThat(grouped).isEqualTo(each);
        assertThat(perPartition.lists()).isEqualTo(2);
        assertThat(once.lists()).isEqualTo(1);

        // only the partitions asked for
        List<Split> second = new java.util.ArrayList<>();
        enumerator.iterator("s3://splits-test/tbl", partitions.subList(1, 2), _ -> true).forEachRemaining(second::add);
        assertThat(second).extracting(Split::key).containsExactly("tbl/dt=2024-01-02/d.parquet");
        assertThat(second.getFirst().partitionValues()).isEqualTo(Map.of("dt", "2024-01-02"));

        // what cannot be listed from the root: another bucket, a location outside it or the root itself,
        // a narrowed location, nested locations
        assertThat(SplitEnumerator.groupable("s3://other/tbl", partitions)).isFalse();
        assertThat(SplitEnumerator.groupable("s3://splits-test/tbl/dt=2024-01-01", partitions)).isFalse();
        assertThat(SplitEnumerator.groupable("s3://splits-test/tbl", List.of(SplitEnumerator.Location.of("s3://splits-test/tbl/")))).isFalse();
        assertThat(SplitEnumerator.groupable("s3://splits-test/tbl", List.of(partitions.getFirst().withKeyPrefix("tbl/dt=2024-01-01/a")))).isFalse();
        assertThat(SplitEnumerator.groupable("s3://splits-test/tbl", List.of(partitions.getFirst(),
                SplitEnumerator.Location.of("s3://splits-test/tbl/dt=2024-01-01/sub")))).isFalse();
        assertThatThrownBy(() -> enumerator.iterator("s3://other/tbl", partitions, _ -> true)).isInstanceOf(IllegalArgumentException.class);
    }
}
