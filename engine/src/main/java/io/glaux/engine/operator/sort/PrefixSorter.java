package io.glaux.engine.operator.sort;

/**
 * A stable merge sort of row numbers carried with a 64-bit normalized prefix of their first sort key
 * (see {@link RowComparator#prefix}): most comparisons are one {@code long} comparison on arrays read
 * sequentially, and only equal prefixes fall back to the full comparator. Sorting row numbers alone
 * would touch the key arrays in random order on every comparison, a cache miss each.
 */
final class PrefixSorter
{
    private static final int INSERTION = 24;

    private PrefixSorter() {}

    static void sort(long[] prefixes, int[] rows, int count, IntSorter.IntComparator tie, Runnable checkCancelled)
    {
        if (count < 2) {
            return;
        }
        for (int from = 0; from < count; from += INSERTION) {
            insertionSort(prefixes, rows, from, Math.min(count, from + INSERTION), tie);
        }
        if (count <= INSERTION) {
            return;
        }
        long[] srcKeys = prefixes;
        int[] srcRows = rows;
        long[] dstKeys = new long[count];
        int[] dstRows = new int[count];
        for (int width = INSERTION; width < count; width <<= 1) {
            checkCancelled.run();
            for (int lo = 0; lo < count; lo += width << 1) {
                int mid = Math.min(lo + width, count);
                int hi = Math.min(lo + (width << 1), count);
                merge(srcKeys, srcRows, lo, mid, hi, dstKeys, dstRows, tie);
            }
            long[] tk = srcKeys;
            srcKeys = dstKeys;
            dstKeys = tk;
            int[] tr = srcRows;
            srcRows = dstRows;
            dstRows = tr;
        }
        if (srcRows != rows) {
            System.arraycopy(srcRows, 0, rows, 0, count);
            System.arraycopy(srcKeys, 0, prefixes, 0, count);
        }
    }

    private static int compare(long[] keys, int[] rows, int i, long key, int row, IntSorter.IntComparator tie)
    {
        long k = keys[i];
        if (k != key) {
            return k < key ? -1 : 1;
        }
        return tie.compare(rows[i], row);
    }

    private static void insertionSort(long[] keys, int[] rows, int from, int to, IntSorter.IntComparator tie)
    {
        for (int i = from + 1; i < to; i++) {
            long key = keys[i];
            int row = rows[i];
            int j = i - 1;
            while (j >= from && compare(keys, rows, j, key, row, tie) > 0) {
                keys[j + 1] = keys[j];
                rows[j + 1] = rows[j];
                j--;
            }
            keys[j + 1] = key;
            rows[j + 1] = row;
        }
    }

    private static void merge(long[] keys, int[] rows, int lo, int mid, int hi, long[] dstKeys, int[] dstRows, IntSorter.IntComparator tie)
    {
        if (mid >= hi || compare(keys, rows, mid - 1, keys[mid], rows[mid], tie) <= 0) {
            System.arraycopy(keys, lo, dstKeys, lo, hi - lo);
            System.arraycopy(rows, lo, dstRows, lo, hi - lo);
            return;
        }
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
            long a = keys[i];
            long b = keys[j];
            boolean takeRight = b < a || (b == a && tie.compare(rows[j], rows[i]) < 0);
            if (takeRight) {
                dstKeys[k] = b;
                dstRows[k++] = rows[j++];
            }
            else {
                dstKeys[k] = a;
                dstRows[k++] = rows[i++];
            }
        }
        while (i < mid) {
            dstKeys[k] = keys[i];
            dstRows[k++] = rows[i++];
        }
        while (j < hi) {
            dstKeys[k] = keys[j];
            dstRows[k++] = rows[j++];
        }
    }
}
