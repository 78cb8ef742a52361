package io.glaux.engine.plan;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;

import java.util.List;

/**
 * One window function of a {@link PlanNode.Window}: {@code name} is Trino's ({@code row_number},
 * {@code rank}, {@code dense_rank}, {@code percent_rank}, {@code cume_dist}, {@code ntile},
 * {@code lag}, {@code lead}, {@code first_value}, {@code last_value}, {@code nth_value}, or an
 * aggregate: {@code count}, {@code sum}, {@code avg}, {@code min}, {@code max}, ...) over input columns
 * {@code arguments}; constant arguments (lag's offset and default, ntile's buckets) are literals in
 * {@code constants}, in argument order after the columns. {@code frame} applies to aggregates and
 * value functions. A lag or lead whose offset is a column (any expression: Trino evaluates it per
 * row) has {@link #OFFSET_COLUMN} as its first constant and the offset column as its second argument.
 */
public record WindowFunction(String name, List<Integer> arguments, List<Object> constants, Type type, boolean ignoreNulls, Frame frame)
{
    /** The first constant of a lag or lead whose offset is its second argument column, not a constant. */
    public static final long OFFSET_COLUMN = Long.MIN_VALUE;

    public WindowFunction
    {
        requireNonNull(name, "name is null");
        arguments = List.copyOf(arguments);
        constants = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(constants));
        requireNonNull(type, "type is null");
        requireNonNull(frame, "frame is null");
    }

    public enum FrameType
    {
        ROWS, RANGE
    }

    public enum BoundType
    {
        UNBOUNDED_PRECEDING, PRECEDING, CURRENT_ROW, FOLLOWING, UNBOUNDED_FOLLOWING
    }

    /** A frame bound; {@code offset} counts rows (ROWS) or is a value distance on the single order key (RANGE). */
    public record Bound(BoundType type, long offset)
    {
        public Bound
        {
            requireNonNull(type, "type is null");
        }
    }

    /** SQL's default with ORDER BY: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (peers included). */
    public static final Frame DEFAULT_FRAME = new Frame(FrameType.RANGE, new Bound(BoundType.UNBOUNDED_PRECEDING, 0), new Bound(BoundType.CURRENT_ROW, 0));
    /** The whole partition: the default without ORDER BY. */
    public static final Frame WHOLE_PARTITION = new Frame(FrameType.ROWS, new Bound(BoundType.UNBOUNDED_PRECEDING, 0), new Bound(BoundType.UNBOUNDED_FOLLOWING, 0));

    public record Frame(FrameType type, Bound start, Bound end)
    {
        public Frame
        {
            requireNonNull(type, "type is null");
            requireNonNull(start, "start is null");
            requireNonNull(end, "end is null");
        }
    }
}
