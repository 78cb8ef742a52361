package io.glaux.engine.expr;

import java.util.function.IntBinaryOperator;

/** Sorting positions (ints) by a comparator without boxing them. */
final class IntSorts
{
    private IntSorts() {}

    /**
     * Sorts {@code a[0..n)} by {@code comparator}, stably (bottom-up merge sort); {@code buffer} is working
     * space of at least {@code n} ints, or null. Returns the buffer used, for the next call.
     */
    static int[] sort(int[] a, int n, IntBinaryOperator comparator, int[] buffer)
    {
        if (buffer == null || buffer.length < n) {
            buffer = new int[n];
        }
        for (int width = 1; width < n; width <<= 1) {
            for (int low = 0; low < n; low += 2 * width) {
                int mid = Math.min(low + width, n);
                int high = Math.min(low + 2 * width, n);
                int i = low;
                int j = mid;
                int k = low;
                while (i < mid && j < high) {
                    buffer[k++] = comparator.applyAsInt(a[i], a[j]) <= 0 ? a[i++] : a[j++];
                }
                while (i < mid) {
                    buffer[k++] = a[i++];
                }
                while (j < high) {
                    buffer[k++] = a[j++];
                }
            }
            System.arraycopy(buffer, 0, a, 0, n);
        }
        return buffer;
    }
}
