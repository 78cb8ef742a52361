package io.glaux.engine.operator.aggregation;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.Vectors;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * Assigns each row of a batch to one of {@code partitionCount} partitions by the hash of its key
 * columns: rows whose keys group together (as in a hash aggregation: NULLs equal, 0.0 = -0.0, decimals
 * by value) land in the same partition, on every node (the hash has no seed). The partition is taken
 * from the key hash after a second mix, so that the hash tables of one partition, which use the same
 * key hash, still spread their groups evenly. With {@code spreadNullKeys} (an equi-join's input: a NULL
 * key matches nothing, so its row may go anywhere) rows with a NULL key go round robin to every
 * partition instead of all to one. Not thread-safe: one per producer thread.
 */
public final class HashPartitioner
{
    private final int partitionCount;
    private final int[] keyColumns;
    private final PhysicalType[] keyTypes;
    private final KeyColumn[] keys;
    private final Block[] blocks;
    private final boolean spreadNullKeys;
    /** The partition of the next row with a NULL key (spreading), from a random start per producer. */
    private int nextNullPartition;
    private int[] positions = new int[0];
    private long[] hashes = new long[0];

    public HashPartitioner(List<Type> types, List<Integer> keyColumns, int partitionCount)
    {
        this(types, keyColumns, partitionCount, false);
    }

    public HashPartitioner(List<Type> types, List<Integer> keyColumns, int partitionCount, boolean spreadNullKeys)
    {
        this.spreadNullKeys = spreadNullKeys;
        this.nextNullPartition = java.util.concurrent.ThreadLocalRandom.current().nextInt(partitionCount < 1 ? 1 : partitionCount);
        requireNonNull(types, "types is null");
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount must be at least 1: " + partitionCount);
        }
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("no partition keys");
        }
        this.partitionCount = partitionCount;
        this.keyColumns = keyColumns.stream().mapToInt(Integer::intValue).toArray();
        this.keyTypes = new PhysicalType[this.keyColumns.length];
        this.keys = new KeyColumn[this.keyColumns.length];
        this.blocks = new Block[this.keyColumns.length];
        for (int k = 0; k < this.keyColumns.length; k++) {
            Type type = types.get(this.keyColumns[k]);
            keyTypes[k] = AggregationLayout.of(type);
            keys[k] = new KeyColumn(type);
            blocks[k] = new Block();
        }
    }

    public int partitionCount()
    {
        return partitionCount;
    }

    /** Writes the partition of rows {@code [0, rowCount)} of {@code batch} into {@code partitions}, which must hold them. */
    public void partition(VectorSchemaRoot batch, int[] partitions)
    {
        int count = batch.getRowCount();
        if (partitionCount == 1) {
            java.util.Arrays.fill(partitions, 0, count, 0);
            return;
        }
        long[] h = keyHashes(batch);
        int n = partitionCount;
        for (int j = 0; j < count; j++) {
            partitions[j] = (int) (((mix(h[j]) >>> 1) & Long.MAX_VALUE) % n);
        }
        if (spreadNullKeys) {
            for (int column : keyColumns) {
                org.apache.arrow.vector.FieldVector vector = batch.getVector(column);
                if (vector.getNullCount() == 0) {
                    continue;
                }
                int next = nextNullPartition;
                for (int j = 0; j < count; j++) {
                    if (vector.isNull(j)) {
                        partitions[j] = next;
                        next = next + 1 == n ? 0 : next + 1;
                    }
                }
                nextNullPartition = next;
            }
        }
    }

    /**
     * Writes a well-mixed 64-bit hash of the keys of rows {@code [0, rowCount)} of {@code batch} into
     * {@code out}, which must hold them: rows whose keys group together get equal hashes (a window
     * sorts its rows by it, so that rows of one partition come together without ordering the keys).
     */
    public void hash(VectorSchemaRoot batch, long[] out)
    {
        int count = batch.getRowCount();
        long[] h = keyHashes(batch);
        for (int j = 0; j < count; j++) {
            out[j] = mix(h[j]);
        }
    }

    private long[] keyHashes(VectorSchemaRoot batch)
    {
        int count = batch.getRowCount();
        if (positions.length < count) {
            positions = new int[Math.max(count, positions.length * 2)];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = i;
            }
            hashes = new long[positions.length];
        }
        for (int k = 0; k < keys.length; k++) {
            if (keyTypes[k] == PhysicalType.OTHER) {
                keys[k].loadDecimals(batch.getVector(keyColumns[k]), positions, count);
            }
            else {
                Vectors.gather(batch.getVector(keyColumns[k]), keyTypes[k], positions, count, blocks[k]);
            }
            keys[k].prepare(blocks[k], count);
            keys[k].hash(hashes, count, k == 0);
        }
        return hashes;
    }

    /** Murmur3's 64-bit finalizer: decorrelates the partition from the hash table's slot bits. */
    private static long mix(long h)
    {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
