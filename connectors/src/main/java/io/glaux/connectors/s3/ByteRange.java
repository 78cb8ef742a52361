package io.glaux.connectors.s3;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The bytes {@code [offset, offset + length)} of an object. */
public record ByteRange(long offset, long length)
{
    public ByteRange
    {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad byte range " + offset + "+" + length);
        }
    }

    public long end()
    {
        return offset + length;
    }

    public boolean contains(ByteRange other)
    {
        return other.offset >= offset && other.end() <= end();
    }

    /**
     * Sorts {@code ranges}, merges the ones that overlap or are separated by fewer than {@code maxGap}
     * bytes (reading a small gap is cheaper than another request), then cuts any range longer than
     * {@code maxLength} into pieces of at most {@code maxLength} bytes so they can be fetched in parallel.
     */
    public static List<ByteRange> coalesce(List<ByteRange> ranges, long maxGap, long maxLength)
    {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("maxLength must be positive");
        }
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.removeIf(range -> range.length == 0);
        sorted.sort(Comparator.comparingLong(ByteRange::offset));
        List<ByteRange> merged = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (ByteRange range : sorted) {
            if (start >= 0 && range.offset <= end + maxGap) {
                end = Math.max(end, range.end());
                continue;
            }
            if (start >= 0) {
                merged.add(new ByteRange(start, end - start));
            }
            start = range.offset;
            end = range.end();
        }
        if (start >= 0) {
            merged.add(new ByteRange(start, end - start));
        }
        List<ByteRange> result = new ArrayList<>(merged.size());
        for (ByteRange range : merged) {
            for (long offset = range.offset; offset < range.end(); offset += maxLength) {
                result.add(new ByteRange(offset, Math.min(maxLength, range.end() - offset)));
            }
        }
        return result;
    }
}
