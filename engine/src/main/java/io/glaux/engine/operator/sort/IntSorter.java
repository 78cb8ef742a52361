package io.glaux.engine.operator.sort;

/**
 * A stable merge sort of an {@code int[]} (row numbers) under a primitive comparator: no boxing.
 * Insertion-sorts short runs, skips merges of runs already in order (cheap on nearly sorted input, as
 * a top-N buffer after compaction), and checks for cancellation between passes.
 */
public final class IntSorter
{
    private static final int INSERTION = 24;

    @FunctionalInterface
    public interface IntComparator
    {
        int compare(int a, int b);
    }

    private IntSorter() {}

    /** Sorts {@code values[0..count)}. */
    public static void sort(int[] values, int count, IntComparator comparator, Runnable checkCancelled)
    {
        if (count < 2) {
            return;
        }
        for (int from = 0; from < count; from += INSERTION) {
            insertionSort(values, from, Math.min(count, from + INSERTION), comparator);
        }
        if (count <= INSERTION) {
            return;
        }
        int[] src = values;
        int[] dst = new int[count];
        for (int width = INSERTION; width < count; width <<= 1) {
            checkCancelled.run();
            for (int lo = 0; lo < count; lo += width << 1) {
                int mid = Math.min(lo + width, count);
                int hi = Math.min(lo + (width << 1), count);
                merge(src, lo, mid, hi, dst, comparator);
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        if (src != values) {
            System.arraycopy(src, 0, values, 0, count);
        }
    }

    private static void insertionSort(int[] a, int from, int to, IntComparator comparator)
    {
        for (int i = from + 1; i < to; i++) {
            int v = a[i];
            int j = i - 1;
            while (j >= from && comparator.compare(a[j], v) > 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    private static void merge(int[] src, int lo, int mid, int hi, int[] dst, IntComparator comparator)
    {
        if (mid >= hi || comparator.compare(src[mid - 1], src[mid]) <= 0) {
            System.arraycopy(src, lo, dst, lo, hi - lo);
            return;
        }
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
            if (comparator.compare(src[j], src[i]) < 0) {
                dst[k++] = src[j++];
            }
            else {
                dst[k++] = src[i++];
            }
        }
        while (i < mid) {
            dst[k++] = src[i++];
        }
        while (j < hi) {
            dst[k++] = src[j++];
        }
    }
}
