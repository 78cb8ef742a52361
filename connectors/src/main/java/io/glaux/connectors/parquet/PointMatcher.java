package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.arrow.ArrowSegments;
import io.glaux.connectors.predicate.Domain;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.filter2.columnindex.RowRanges;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Finds the rows of a decoded batch of one column whose value is one of the values of an equality or
 * IN domain (or NULL, when the domain allows it): what lets a scan read a selective filter's column
 * first, skip a row group none of whose rows match, and decode the other columns only for the rows
 * that do. Varchar compares UTF-8 bytes; tinyint to bigint compare longs. Not thread-safe (one per
 * page source).
 */
final class PointMatcher
{
    /** Domains with more values than this are not checked row by row (a hash set would be needed to stay fast). */
    static final int MAX_POINTS = 32;
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final boolean nullAllowed;
    /** varchar: the values as UTF-8; null for integers */
    private final MemorySegment[] strings;
    /** integers: the values; null for varchar */
    private final long[] longs;

    private PointMatcher(boolean nullAllowed, MemorySegment[] strings, long[] longs)
    {
        this.nullAllowed = nullAllowed;
        this.strings = strings;
        this.longs = longs;
    }

    /**
     * The matcher of the values {@code points} of {@code domain} for a column of {@code type}, or null
     * when the type or the values are not supported (then the column is not checked row by row).
     */
    static PointMatcher create(Type type, Domain domain, List<Object> points)
    {
        requireNonNull(type, "type is null");
        requireNonNull(domain, "domain is null");
        if (points == null || points.isEmpty() || points.size() > MAX_POINTS) {
            return null;
        }
        if (type instanceof Type.Varchar) {
            MemorySegment[] strings = new MemorySegment[points.size()];
            for (int i = 0; i < strings.length; i++) {
                if (!(points.get(i) instanceof String value)) {
                    return null;
                }
                strings[i] = MemorySegment.ofArray(value.getBytes(StandardCharsets.UTF_8));
            }
            return new PointMatcher(domain.nullAllowed(), strings, null);
        }
        if (type instanceof Type.Primitive primitive) {
            switch (primitive.kind()) {
                case TINYINT, SMALLINT, INTEGER, BIGINT -> {
                    long[] longs = new long[points.size()];
                    for (int i = 0; i < longs.length; i++) {
                        if (!(points.get(i) instanceof Long value)) {
                            return null;
                        }
                        longs[i] = value;
                    }
                    return new PointMatcher(domain.nullAllowed(), null, longs);
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }

    /** Adds to {@code rows} the rows {@code base + i} ({@code i < count}) of {@code vector} whose value matches. */
    void addMatches(FieldVector vector, int count, long base, RowRanges.Builder rows)
    {
        if (strings != null) {
            addStringMatches((VarCharVector) vector, count, base, rows);
        }
        else {
            addLongMatches((BaseIntVector) vector, count, base, rows);
        }
    }

    private void addStringMatches(VarCharVector vector, int count, long base, RowRanges.Builder rows)
    {
        if (count == 0) {
            return;
        }
        MemorySegment offsets = segment(vector.getOffsetBuffer(), 4L * (count + 1));
        MemorySegment data = segment(vector.getDataBuffer(), Math.max(0, offsets.get(INT_LE, 4L * count)));
        boolean mayHaveNulls = vector.getNullCount() > 0;
        int start = offsets.get(INT_LE, 0);
        for (int i = 0; i < count; i++) {
            int end = offsets.get(INT_LE, 4L * (i + 1));
            if (mayHaveNulls && vector.isNull(i)) {
                if (nullAllowed) {
                    rows.addSelectedRow(base + i);
                }
            }
            else {
                int length = end - start;
                for (MemorySegment value : strings) {
                    if (value.byteSize() == length && MemorySegment.mismatch(data, start, end, value, 0, length) < 0) {
                        rows.addSelectedRow(base + i);
                        break;
                    }
                }
            }
            start = end;
        }
    }

    private void addLongMatches(BaseIntVector vector, int count, long base, RowRanges.Builder rows)
    {
        FieldVector field = (FieldVector) vector;
        boolean mayHaveNulls = field.getNullCount() > 0;
        for (int i = 0; i < count; i++) {
            if (mayHaveNulls && field.isNull(i)) {
                if (nullAllowed) {
                    rows.addSelectedRow(base + i);
                }
                continue;
            }
            long value = vector.getValueAsLong(i);
            for (long point : longs) {
                if (value == point) {
                    rows.addSelectedRow(base + i);
                    break;
                }
            }
        }
    }

    private static MemorySegment segment(ArrowBuf buffer, long bytes)
    {
        return ArrowSegments.of(buffer, bytes);
    }
}
