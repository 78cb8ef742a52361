package io.glaux.engine.operator.sort;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.plan.SortKey;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * Orders rows by a list of {@link SortKey}s. It holds the key columns of every appended row on the heap
 * ({@link ColumnValues}, one specialized store per key type), so comparing two rows reads flat arrays:
 * no boxing, no Arrow buffer access. Rows are numbered in append order; {@link #compare(int, RowComparator, int)}
 * compares rows of two comparators over the same keys (the runs of a merge). Per key: ascending or
 * descending, NULLS FIRST or LAST (independent of the direction, as in SQL).
 */
public final class RowComparator
{
    private final List<SortKey> keys;
    private final ColumnValues[] columns;
    private final int[] keyColumns;
    private final boolean[] ascending;
    private final boolean[] nullsFirst;

    public RowComparator(List<Type> types, List<SortKey> keys)
    {
        this.keys = List.copyOf(requireNonNull(keys, "keys is null"));
        int n = keys.size();
        this.columns = new ColumnValues[n];
        this.keyColumns = new int[n];
        this.ascending = new boolean[n];
        this.nullsFirst = new boolean[n];
        for (int k = 0; k < n; k++) {
            SortKey key = keys.get(k);
            keyColumns[k] = key.column();
            ascending[k] = key.ascending();
            nullsFirst[k] = key.nullsFirst();
            columns[k] = ColumnValues.create(types.get(key.column()), true);
        }
    }

    /** A comparator over the same keys with no rows. */
    public RowComparator emptyCopy(List<Type> types)
    {
        return new RowComparator(types, keys);
    }

    public List<SortKey> keys()
    {
        return keys;
    }

    public int keyCount()
    {
        return columns.length;
    }

    /** The values of key {@code k} (the i-th {@link SortKey}). */
    public ColumnValues column(int k)
    {
        return columns[k];
    }

    public int rowCount()
    {
        return columns.length == 0 ? rows : columns[0].size();
    }

    private int rows;

    /** Appends the key values of every row of {@code batch}. */
    public void append(VectorSchemaRoot batch)
    {
        append(batch, 0, batch.getRowCount());
    }

    /** Appends the key values of rows {@code [from, from+count)} of {@code batch}. */
    public void append(VectorSchemaRoot batch, int from, int count)
    {
        for (int k = 0; k < columns.length; k++) {
            columns[k].append(batch.getVector(keyColumns[k]), from, count);
        }
        rows += count;
    }

    public void clear()
    {
        for (ColumnValues column : columns) {
            column.clear();
        }
        rows = 0;
    }

    public long sizeInBytes()
    {
        long bytes = 0;
        for (ColumnValues column : columns) {
            bytes += column.sizeInBytes();
        }
        return bytes;
    }

    /**
     * A 64-bit prefix of row {@code row}'s first key such that a smaller prefix (signed) always sorts
     * first; equal prefixes need {@link #compare(int, int)}. Numbers map to order-preserving longs
     * (doubles through their bits, NaN above every number), strings to their first eight bytes, NULLs
     * to the smallest or largest long; descending keys are complemented.
     */
    public long prefix(int row)
    {
        ColumnValues column = columns[0];
        if (column.nulls[row]) {
            return nullsFirst[0] ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        long value = switch (column) {
            case ColumnValues.LongValues longs -> longs.get(row);
            case ColumnValues.DoubleValues doubles -> {
                long bits = Double.doubleToLongBits(doubles.get(row));
                yield bits ^ ((bits >> 63) & Long.MAX_VALUE);
            }
            case ColumnValues.BytesValues bytes -> {
                byte[] arena = bytes.arena();
                int start = bytes.start(row);
                int length = Math.min(8, bytes.end(row) - start);
                long v = 0;
                for (int i = 0; i < 8; i++) {
                    v = (v << 8) | (i < length ? arena[start + i] & 0xFF : 0);
                }
                yield v ^ Long.MIN_VALUE;
            }
            case ColumnValues.DecimalValues decimals -> decimals.high(row);
            case ColumnValues.NullsOnly ignored -> 0;
        };
        return ascending[0] ? value : ~value;
    }

    /** Whether equal {@link #prefix}es mean equal first keys (numbers without NULLs), so ties compare from the second key on. */
    public boolean prefixIsExact()
    {
        ColumnValues column = columns[0];
        return (column instanceof ColumnValues.LongValues || column instanceof ColumnValues.DoubleValues) && !column.mayHaveNull();
    }

    /** Negative, zero or positive as row {@code a} sorts before, with or after row {@code b}. */
    public int compare(int a, int b)
    {
        return compare(a, this, b, 0, columns.length);
    }

    /** As {@link #compare(int, int)} for row {@code a} here and row {@code b} of {@code other}. */
    public int compare(int a, RowComparator other, int b)
    {
        return compare(a, other, b, 0, columns.length);
    }

    /** Compares rows on keys {@code [fromKey, toKey)} only (window partitions and peers). */
    public int compare(int a, RowComparator other, int b, int fromKey, int toKey)
    {
        for (int k = fromKey; k < toKey; k++) {
            ColumnValues mine = columns[k];
            ColumnValues theirs = other.columns[k];
            boolean aNull = mine.nulls[a];
            boolean bNull = theirs.nulls[b];
            if (aNull | bNull) {
                if (aNull && bNull) {
                    continue;
                }
                return aNull == nullsFirst[k] ? -1 : 1;
            }
            int c = mine.compare(a, theirs, b);
            if (c != 0) {
                return ascending[k] ? c : -c;
            }
        }
        return 0;
    }
}
