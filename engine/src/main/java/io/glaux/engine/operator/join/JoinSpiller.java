package io.glaux.engine.operator.join;

import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode.JoinType;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Grace hash join partitioning: writes build and probe rows to {@link #PARTITIONS} spill files per side
 * by bits of their key hash (different bits at each spill level, so that a partition that still does
 * not fit can be split again), so that each partition pair can be joined on its own. Rows with a NULL
 * key go to partition 0 when the join must output them (build rows for RIGHT/FULL, probe rows for
 * LEFT/FULL/ANTI) and are dropped otherwise; for INNER, SEMI and RIGHT, probe rows of a partition
 * without build rows are dropped too.
 */
final class JoinSpiller
        implements AutoCloseable
{
    static final int PARTITION_BITS = 4;
    static final int PARTITIONS = 1 << PARTITION_BITS;

    private final OperatorContext context;
    private final JoinType type;
    private final int shift;
    private final Path directory;
    private final Side buildSide;
    private final Side probeSide;
    private boolean closed;

    JoinSpiller(OperatorContext context, Path spillRoot, int level, JoinType type, List<Type> buildTypes, int[] buildKeys, List<Type> probeTypes, int[] probeKeys)
    {
        this.context = context;
        this.type = type;
        this.shift = 64 - PARTITION_BITS * (level + 1);
        try {
            Files.createDirectories(spillRoot);
            this.directory = Files.createTempDirectory(spillRoot, "glaux-join-");
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, context.name() + ": cannot create a spill directory in " + spillRoot + ": " + e.getMessage(), e);
        }
        buildSide = new Side("build", buildTypes, buildKeys, type == JoinType.RIGHT || type == JoinType.FULL);
        probeSide = new Side("probe", probeTypes, probeKeys, type == JoinType.LEFT || type == JoinType.FULL || type == JoinType.ANTI);
    }

    /** Partitions the rows of a build batch to disk and closes it. */
    void addBuild(VectorSchemaRoot batch)
    {
        try (batch) {
            buildSide.add(batch, null);
        }
    }

    /** Partitions the rows of a probe batch to disk and closes it. */
    void addProbe(VectorSchemaRoot batch)
    {
        try (batch) {
            boolean dropWithoutBuild = type == JoinType.INNER || type == JoinType.SEMI || type == JoinType.RIGHT;
            probeSide.add(batch, dropWithoutBuild ? buildSide.files : null);
        }
    }

    void finishBuild()
    {
        buildSide.finish();
    }

    void finishProbe()
    {
        probeSide.finish();
    }

    /** The spill file of partition {@code partition} of the build side. */
    SpillFile build(int partition)
    {
        return buildSide.files[partition];
    }

    SpillFile probe(int partition)
    {
        return probeSide.files[partition];
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            buildSide.close();
        }
        finally {
            try {
                probeSide.close();
            }
            finally {
                deleteDirectory();
            }
        }
    }

    private void deleteDirectory()
    {
        try (var entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                Files.deleteIfExists(entry);
            }
            Files.deleteIfExists(directory);
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, context.name() + ": cannot delete spill directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private final class Side
    {
        private final JoinKeyColumn[] keys;
        private final int[] keyColumns;
        private final boolean keepNullKeys;
        private final SpillFile[] files = new SpillFile[PARTITIONS];
        private int[] positions = new int[0];
        private long[] hashes = new long[0];
        private boolean[] anyNull = new boolean[0];
        private int[] partitionOf = new int[0];
        private long[] addresses = new long[0];
        private long[] sorted = new long[0];

        Side(String name, List<Type> types, int[] keyColumns, boolean keepNullKeys)
        {
            this.keyColumns = keyColumns;
            this.keepNullKeys = keepNullKeys;
            keys = new JoinKeyColumn[keyColumns.length];
            for (int k = 0; k < keys.length; k++) {
                keys[k] = new JoinKeyColumn(types.get(keyColumns[k]));
            }
            for (int p = 0; p < PARTITIONS; p++) {
                files[p] = new SpillFile(context, directory.resolve(name + "-" + p + ".arrow"), types);
            }
        }

        void add(VectorSchemaRoot batch, SpillFile[] requireRows)
        {
            int count = batch.getRowCount();
            if (positions.length < count) {
                int capacity = Math.max(count, positions.length * 2);
                positions = new int[capacity];
                for (int i = 0; i < capacity; i++) {
                    positions[i] = i;
                }
                hashes = new long[capacity];
                anyNull = new boolean[capacity];
                partitionOf = new int[capacity];
                addresses = new long[capacity];
                sorted = new long[capacity];
            }
            Arrays.fill(anyNull, 0, count, false);
            for (int k = 0; k < keys.length; k++) {
                keys[k].load(batch.getVector(keyColumns[k]), count, positions);
                keys[k].hash(hashes, count, k == 0);
                keys[k].markNulls(anyNull, count);
            }
            int[] counts = new int[PARTITIONS + 1];
            for (int j = 0; j < count; j++) {
                int partition;
                if (anyNull[j]) {
                    partition = keepNullKeys ? 0 : PARTITIONS;
                }
                else {
                    partition = (int) (hashes[j] >>> shift) & (PARTITIONS - 1);
                    if (requireRows != null && requireRows[partition].rows() == 0) {
                        partition = PARTITIONS;
                    }
                }
                partitionOf[j] = partition;
                counts[partition]++;
            }
            // counting sort of the rows by partition, then one write per partition
            int[] starts = new int[PARTITIONS + 1];
            for (int p = 0; p < PARTITIONS; p++) {
                starts[p + 1] = starts[p] + counts[p];
            }
            int[] next = Arrays.copyOf(starts, PARTITIONS);
            for (int j = 0; j < count; j++) {
                int partition = partitionOf[j];
                if (partition < PARTITIONS) {
                    sorted[next[partition]++] = j;
                }
            }
            FieldVector[] columns = batch.getFieldVectors().toArray(FieldVector[]::new);
            for (int p = 0; p < PARTITIONS; p++) {
                int n = counts[p];
                if (n > 0) {
                    System.arraycopy(sorted, starts[p], addresses, 0, n);
                    files[p].write(columns, addresses, n);
                }
            }
        }

        void finish()
        {
            for (SpillFile file : files) {
                file.finish();
            }
        }

        void close()
        {
            RuntimeException failure = null;
            for (SpillFile file : files) {
                try {
                    file.close();
                }
                catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
