package io.glaux.engine.operator.window;

import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.operator.sort.ColumnValues;
import io.glaux.engine.operator.sort.RowComparator;
import io.glaux.engine.operator.sort.SortBuffer;
import io.glaux.engine.plan.SortKey;
import io.glaux.engine.plan.WindowFunction;
import io.glaux.engine.plan.WindowFunction.BoundType;
import io.glaux.engine.plan.WindowFunction.Frame;
import io.glaux.engine.plan.WindowFunction.FrameType;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The window functions of one {@link WindowOperator}, computed for whole partitions of sorted rows into
 * flat result arrays: longs or doubles, or for value functions (lag, first_value, min, ...) the row
 * each result is copied from. See {@link WindowOperator} for the list and the algorithms.
 */
final class WindowFunctions
        implements AutoCloseable
{
    /** A {@link Result.Rows} entry meaning "the function's default value" (lag/lead). */
    static final int DEFAULT_ROW = -2;

    private enum Kind
    {
        ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG, LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE,
        COUNT_STAR, COUNT, SUM, AVG, MIN, MAX
    }

    /** A function's results for rows {@code [0, end)} of a buffer. */
    sealed interface Result
    {
        long sizeInBytes();

        record Longs(PhysicalType type, long[] values, boolean[] nulls)
                implements Result
        {
            @Override
            public long sizeInBytes()
            {
                return values.length * 9L;
            }
        }

        record Doubles(PhysicalType type, double[] values, boolean[] nulls)
                implements Result
        {
            @Override
            public long sizeInBytes()
            {
                return values.length * 9L;
            }
        }

        /** 128-bit unscaled decimals: {@code high} and {@code low} words per row. */
        record Decimals(long[] high, long[] low, boolean[] nulls)
                implements Result
        {
            @Override
            public long sizeInBytes()
            {
                return high.length * 17L;
            }
        }

        /**
         * Copies of input column {@code column} at {@code rows} (-1 = NULL, {@link #DEFAULT_ROW} = {@code defaultValue}'s
         * row 0, or when {@code defaultColumn} is not -1, that input column's value at the row itself).
         */
        record Rows(int column, int[] rows, FieldVector defaultValue, int defaultColumn)
                implements Result
        {
            Rows(int column, int[] rows, FieldVector defaultValue)
            {
                this(column, rows, defaultValue, -1);
            }

            @Override
            public long sizeInBytes()
            {
                return rows.length * 4L;
            }
        }
    }

    private final OperatorContext context;
    private final List<Type> inputTypes;
    private final List<WindowFunction> functions;
    private final Kind[] kinds;
    private final int partitionKeyCount;
    private final List<SortKey> orderKeys;
    /** Per function: its first constant as a long (lag/lead offset, ntile buckets, nth_value position), or null. */
    private final Long[] constantArgument;
    /** Per function: the input column holding a lag/lead's offset row by row, or -1 (a constant offset). */
    private final int[] offsetColumn;
    private final VectorSchemaRoot[] defaults;

    WindowFunctions(OperatorContext context, List<Type> inputTypes, List<WindowFunction> functions, int partitionKeyCount, List<SortKey> orderKeys)
    {
        this.context = context;
        this.inputTypes = inputTypes;
        this.functions = List.copyOf(functions);
        this.partitionKeyCount = partitionKeyCount;
        this.orderKeys = List.copyOf(orderKeys);
        this.kinds = new Kind[functions.size()];
        this.constantArgument = new Long[functions.size()];
        this.offsetColumn = new int[functions.size()];
        java.util.Arrays.fill(offsetColumn, -1);
        this.defaults = new VectorSchemaRoot[functions.size()];
        try {
            for (int f = 0; f < kinds.length; f++) {
                WindowFunction function = functions.get(f);
                Kind kind = kind(function);
                kinds[f] = kind;
                validate(function, f, kind);
            }
        }
        catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static Kind kind(WindowFunction function)
    {
        String name = function.name().toLowerCase(java.util.Locale.ROOT);
        Kind kind = switch (name) {
            case "row_number" -> Kind.ROW_NUMBER;
            case "rank" -> Kind.RANK;
            case "dense_rank" -> Kind.DENSE_RANK;
            case "percent_rank" -> Kind.PERCENT_RANK;
            case "cume_dist" -> Kind.CUME_DIST;
            case "ntile" -> Kind.NTILE;
            case "lag" -> Kind.LAG;
            case "lead" -> Kind.LEAD;
            case "first_value" -> Kind.FIRST_VALUE;
            case "last_value" -> Kind.LAST_VALUE;
            case "nth_value" -> Kind.NTH_VALUE;
            case "count" -> function.arguments().isEmpty() ? Kind.COUNT_STAR : Kind.COUNT;
            case "sum" -> Kind.SUM;
            case "avg" -> Kind.AVG;
            case "min" -> Kind.MIN;
            case "max" -> Kind.MAX;
            default -> throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Window function " + function.name() + " is not supported");
        };
        boolean needsArgument = switch (kind) {
            case ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, COUNT_STAR -> false;
            default -> true;
        };
        if (needsArgument && function.arguments().isEmpty()) {
            throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Window function " + function.name() + " needs an argument");
        }
        // lag/lead may take their offset from a column (lag(x, k)) and their default from the next (lag(x, 1, y)): its value at the current row
        boolean offsetColumn = (kind == Kind.LAG || kind == Kind.LEAD) && !function.constants().isEmpty()
                && function.constants().getFirst() instanceof Long first && first == WindowFunction.OFFSET_COLUMN;
        int maxArguments = !needsArgument ? 0 : kind == Kind.LAG || kind == Kind.LEAD ? (offsetColumn ? 3 : 2) : 1;
        if (function.arguments().size() > maxArguments) {
            // offsets and bucket counts are constants; a column there is not supported
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Window function " + function.name() + " with arguments " + function.arguments()
                    + " is not supported: only its first argument may be a column");
        }
        return kind;
    }

    private void validate(WindowFunction function, int f, Kind kind)
    {
        List<Object> constants = function.constants();
        Object first = constants.isEmpty() ? null : constants.getFirst();
        switch (kind) {
            case NTILE -> {
                if (first == null && constants.isEmpty()) {
                    throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "ntile needs a number of buckets");
                }
                if (first != null) {
                    long buckets = ((Number) first).longValue();
                    if (buckets <= 0) {
                        throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Buckets must be greater than 0");
                    }
                    constantArgument[f] = buckets;
                }
            }
            case LAG, LEAD -> {
                if (first instanceof Long marker && marker == WindowFunction.OFFSET_COLUMN) {
                    if (function.arguments().size() < 2 || !(PhysicalType.of(inputTypes.get(function.arguments().get(1))).representation() == PhysicalType.Representation.LONG)) {
                        throw new GlauxException(ErrorCode.NOT_SUPPORTED, function.name() + " with an offset that is not an integer column");
                    }
                    offsetColumn[f] = function.arguments().get(1);
                    first = null;
                }
                long offset = constants.isEmpty() ? 1 : first == null ? -1 : ((Number) first).longValue();
                if (first != null && offset < 0) {
                    throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Offset must be at least 0");
                }
                constantArgument[f] = constants.isEmpty() || first != null ? offset : null;
                Object defaultValue = constants.size() > 1 ? constants.get(1) : null;
                if (defaultValue != null) {
                    Type type = inputTypes.get(function.arguments().getFirst());
                    defaults[f] = Batches.create(List.of(type), context.allocator());
                    setConstant(defaults[f].getVector(0), defaultValue);
                    defaults[f].setRowCount(1);
                }
            }
            case NTH_VALUE -> {
                if (first != null) {
                    long n = ((Number) first).longValue();
                    if (n <= 0) {
                        throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Offset must be at least 1");
                    }
                    constantArgument[f] = n;
                }
                else if (constants.isEmpty()) {
                    throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "nth_value needs a position");
                }
            }
            case SUM, AVG -> {
                Type input = inputTypes.get(function.arguments().getFirst());
                PhysicalType physical = PhysicalType.of(input);
                if (input instanceof Type.Decimal decimal) {
                    if (!(function.type() instanceof Type.Decimal output) || output.scale() != decimal.scale()) {
                        throw new GlauxException(ErrorCode.NOT_SUPPORTED, function.name() + "(" + input.trinoName() + ") returning "
                                + function.type().trinoName() + " is not supported as a window function");
                    }
                }
                else if (physical.representation() == PhysicalType.Representation.BYTES
                        || physical.representation() == PhysicalType.Representation.OTHER || physical == PhysicalType.BOOLEAN) {
                    throw new GlauxException(ErrorCode.NOT_SUPPORTED, function.name() + "(" + input.trinoName() + ") is not supported as a window function");
                }
            }
            default -> {
            }
        }
        Frame frame = function.frame();
        if (frame.type() == FrameType.RANGE && (isOffset(frame.start().type()) || isOffset(frame.end().type()))) {
            if (orderKeys.size() != 1) {
                throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Window frame of type RANGE PRECEDING or FOLLOWING requires single sort item in ORDER BY");
            }
            Type keyType = inputTypes.get(orderKeys.getFirst().column());
            PhysicalType physical = PhysicalType.of(keyType);
            if (keyType instanceof Type.Decimal || (physical.representation() != PhysicalType.Representation.LONG && physical.representation() != PhysicalType.Representation.DOUBLE)
                    || physical == PhysicalType.BOOLEAN) {
                throw new GlauxException(ErrorCode.NOT_SUPPORTED, "RANGE frame offsets over " + keyType.trinoName() + " are not supported");
            }
        }
        if (frame.start().type() == BoundType.UNBOUNDED_FOLLOWING || frame.end().type() == BoundType.UNBOUNDED_PRECEDING) {
            throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Invalid window frame: " + frame);
        }
        if ((isOffset(frame.start().type()) && frame.start().offset() < 0) || (isOffset(frame.end().type()) && frame.end().offset() < 0)) {
            throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Window frame offset must not be negative");
        }
    }

    private static boolean isOffset(BoundType type)
    {
        return type == BoundType.PRECEDING || type == BoundType.FOLLOWING;
    }

    /** Per function, a store for its argument column, or null when it reads none. */
    ColumnValues[] newArgumentStores()
    {
        ColumnValues[] stores = new ColumnValues[functions.size()];
        for (int f = 0; f < stores.length; f++) {
            switch (kinds[f]) {
                case ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, COUNT_STAR -> {
                }
                case MIN, MAX -> stores[f] = ColumnValues.create(inputTypes.get(argumentColumn(f)), true);
                default -> stores[f] = ColumnValues.create(inputTypes.get(argumentColumn(f)), false);
            }
        }
        return stores;
    }

    int argumentColumn(int f)
    {
        return functions.get(f).arguments().getFirst();
    }

    /** Per function, a store for its offset column (a lag/lead whose offset is not a constant), or null. */
    ColumnValues[] newOffsetStores()
    {
        ColumnValues[] stores = new ColumnValues[functions.size()];
        for (int f = 0; f < stores.length; f++) {
            if (offsetColumn[f] >= 0) {
                stores[f] = ColumnValues.create(inputTypes.get(offsetColumn[f]), false);
            }
        }
        return stores;
    }

    /** The input column of function {@code f}'s offsets ({@link #newOffsetStores}). */
    int offsetColumn(int f)
    {
        return offsetColumn[f];
    }

    // ------------------------------------------------------------------ compute

    /** Results of every function for rows {@code [0, end)} of {@code rows} (whole partitions). */
    Result[] compute(SortBuffer rows, ColumnValues[] arguments, ColumnValues[] offsets, int end)
    {
        RowComparator keys = rows.comparator();
        int keyCount = keys.keyCount();
        // partitions and peer groups
        int[] peerStart = new int[end];
        int[] peerEnd = new int[end];
        int[] partitionStart = new int[end];
        int[] partitionEnd = new int[end];
        int ps = 0;
        for (int i = 1; i <= end; i++) {
            if (i == end || keys.compare(i - 1, keys, i, 0, partitionKeyCount) != 0) {
                for (int j = ps; j < i; j++) {
                    partitionStart[j] = ps;
                    partitionEnd[j] = i;
                }
                ps = i;
            }
        }
        int group = 0;
        for (int i = 1; i <= end; i++) {
            if (i == end || partitionStart[i] != partitionStart[i - 1] || keys.compare(i - 1, keys, i, partitionKeyCount, keyCount) != 0) {
                for (int j = group; j < i; j++) {
                    peerStart[j] = group;
                    peerEnd[j] = i;
                }
                group = i;
            }
        }
        context.checkCancelled();
        Partitioning partitioning = new Partitioning(end, partitionStart, partitionEnd, peerStart, peerEnd, keys);
        Result[] results = new Result[functions.size()];
        for (int f = 0; f < results.length; f++) {
            results[f] = compute(f, partitioning, arguments[f], offsets[f]);
            context.checkCancelled();
        }
        return results;
    }

    private record Partitioning(int end, int[] partitionStart, int[] partitionEnd, int[] peerStart, int[] peerEnd, RowComparator keys) {}

    private Result compute(int f, Partitioning p, ColumnValues argument, ColumnValues offsets)
    {
        WindowFunction function = functions.get(f);
        PhysicalType outputType = PhysicalType.of(function.type());
        int end = p.end();
        int[] partitionStart = p.partitionStart();
        int[] partitionEnd = p.partitionEnd();
        return switch (kinds[f]) {
            case ROW_NUMBER -> {
                long[] values = new long[end];
                for (int i = 0; i < end; i++) {
                    values[i] = i - partitionStart[i] + 1;
                }
                yield new Result.Longs(outputType, values, null);
            }
            case RANK -> {
                long[] values = new long[end];
                for (int i = 0; i < end; i++) {
                    values[i] = p.peerStart()[i] - partitionStart[i] + 1;
                }
                yield new Result.Longs(outputType, values, null);
            }
            case DENSE_RANK -> {
                long[] values = new long[end];
                long rank = 0;
                for (int i = 0; i < end; i++) {
                    if (i == partitionStart[i]) {
                        rank = 1;
                    }
                    else if (p.peerStart()[i] == i) {
                        rank++;
                    }
                    values[i] = rank;
                }
                yield new Result.Longs(outputType, values, null);
            }
            case PERCENT_RANK -> {
                double[] values = new double[end];
                for (int i = 0; i < end; i++) {
                    long n = partitionEnd[i] - partitionStart[i];
                    values[i] = n == 1 ? 0 : (double) (p.peerStart()[i] - partitionStart[i]) / (n - 1);
                }
                yield new Result.Doubles(outputType, values, null);
            }
            case CUME_DIST -> {
                double[] values = new double[end];
                for (int i = 0; i < end; i++) {
                    values[i] = (double) (p.peerEnd()[i] - partitionStart[i]) / (partitionEnd[i] - partitionStart[i]);
                }
                yield new Result.Doubles(outputType, values, null);
            }
            case NTILE -> {
                long[] values = new long[end];
                boolean[] nulls = new boolean[end];
                Long buckets = constantArgument[f];
                for (int i = 0; i < end; i++) {
                    if (buckets == null) {
                        nulls[i] = true;
                        continue;
                    }
                    long n = partitionEnd[i] - partitionStart[i];
                    long rowsPerBucket = n / buckets;
                    long remainder = n % buckets;
                    long index = i - partitionStart[i];
                    values[i] = index < (rowsPerBucket + 1) * remainder
                            ? index / (rowsPerBucket + 1) + 1
                            : (index - remainder) / rowsPerBucket + 1;
                }
                yield new Result.Longs(outputType, values, nulls);
            }
            case LAG, LEAD -> lagLead(f, p, argument, (ColumnValues.LongValues) offsets, kinds[f] == Kind.LEAD);
            case FIRST_VALUE, LAST_VALUE, NTH_VALUE -> valueInFrame(f, p, argument);
            case COUNT_STAR, COUNT, SUM, AVG -> aggregate(f, p, argument, outputType);
            case MIN, MAX -> minMax(f, p, argument);
        };
    }

    /**
     * {@code offsets}: each row's offset when it is a column (null for a constant one); a NULL offset
     * gives NULL, a negative one fails, one past the partition gives the default.
     */
    private Result lagLead(int f, Partitioning p, ColumnValues argument, ColumnValues.LongValues offsets, boolean lead)
    {
        WindowFunction function = functions.get(f);
        int end = p.end();
        int[] rows = new int[end];
        Long offsetValue = constantArgument[f];
        if (offsets == null && offsetValue == null) {
            // a NULL constant offset
            java.util.Arrays.fill(rows, -1);
            return new Result.Rows(argumentColumn(f), rows, null);
        }
        int defaultIndex = offsets == null ? 1 : 2;
        int defaultColumn = function.arguments().size() > defaultIndex ? function.arguments().get(defaultIndex) : -1;
        int fallback = defaults[f] == null && defaultColumn < 0 ? -1 : DEFAULT_ROW;
        NonNullRows nonNull = function.ignoreNulls() ? nonNullRows(argument, end) : null;
        long constant = offsetValue == null ? 0 : offsetValue;
        for (int i = 0; i < end; i++) {
            long offset = constant;
            if (offsets != null) {
                if (offsets.isNull(i)) {
                    rows[i] = -1;
                    continue;
                }
                offset = offsets.get(i);
                if (offset < 0) {
                    throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Offset must be at least 0");
                }
            }
            int ps = p.partitionStart()[i];
            int pe = p.partitionEnd()[i];
            if (nonNull == null || offset == 0) {
                long target = lead ? i + offset : i - offset;
                rows[i] = target >= ps && target < pe ? (int) target : fallback;
            }
            else {
                long k = lead ? (long) nonNull.before()[i + 1] + offset - 1 : (long) nonNull.before()[i] - offset;
                rows[i] = k >= nonNull.before()[ps] && k < nonNull.before()[pe] ? nonNull.rows()[(int) k] : fallback;
            }
        }
        return new Result.Rows(argumentColumn(f), rows, defaults[f] == null ? null : defaults[f].getVector(0), defaultColumn);
    }

    /** {@code rows[k]}: the k-th row of {@code [0, end)} whose argument is not NULL; {@code before[i]}: such rows before row i. */
    private record NonNullRows(int[] rows, int[] before) {}

    private static NonNullRows nonNullRows(ColumnValues argument, int end)
    {
        int[] rows = new int[end];
        int[] before = new int[end + 1];
        int count = 0;
        for (int i = 0; i < end; i++) {
            before[i] = count;
            if (!argument.isNull(i)) {
                rows[count++] = i;
            }
        }
        before[end] = count;
        return new NonNullRows(rows, before);
    }

    private Result valueInFrame(int f, Partitioning p, ColumnValues argument)
    {
        WindowFunction function = functions.get(f);
        int end = p.end();
        int[] frameStart = new int[end];
        int[] frameEnd = new int[end];
        frames(function.frame(), p, frameStart, frameEnd);
        int[] rows = new int[end];
        Long nth = constantArgument[f];
        boolean ignoreNulls = function.ignoreNulls();
        NonNullRows nonNullRows = ignoreNulls ? nonNullRows(argument, end) : null;
        int[] nonNull = ignoreNulls ? nonNullRows.rows() : null;
        int[] before = ignoreNulls ? nonNullRows.before() : null;
        for (int i = 0; i < end; i++) {
            int fs = frameStart[i];
            int fe = frameEnd[i];
            int row = -1;
            if (fs <= fe) {
                switch (kinds[f]) {
                    case FIRST_VALUE -> {
                        if (!ignoreNulls) {
                            row = fs;
                        }
                        else if (before[fs] < before[fe + 1]) {
                            row = nonNull[before[fs]];
                        }
                    }
                    case LAST_VALUE -> {
                        if (!ignoreNulls) {
                            row = fe;
                        }
                        else if (before[fs] < before[fe + 1]) {
                            row = nonNull[before[fe + 1] - 1];
                        }
                    }
                    case NTH_VALUE -> {
                        if (nth != null) {
                            if (!ignoreNulls) {
                                long target = fs + nth - 1;
                                row = target <= fe ? (int) target : -1;
                            }
                            else {
                                long k = before[fs] + nth - 1;
                                row = k < before[fe + 1] ? nonNull[(int) k] : -1;
                            }
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
            rows[i] = row;
        }
        return new Result.Rows(argumentColumn(f), rows, null);
    }

    private Result aggregate(int f, Partitioning p, ColumnValues argument, PhysicalType outputType)
    {
        WindowFunction function = functions.get(f);
        int end = p.end();
        int[] frameStart = new int[end];
        int[] frameEnd = new int[end];
        frames(function.frame(), p, frameStart, frameEnd);
        Kind kind = kinds[f];
        if (kind == Kind.COUNT_STAR) {
            long[] values = new long[end];
            for (int i = 0; i < end; i++) {
                values[i] = Math.max(0, frameEnd[i] - frameStart[i] + 1);
            }
            return new Result.Longs(outputType, values, null);
        }
        // prefix counts of non-null values
        int[] counts = new int[end + 1];
        for (int i = 0; i < end; i++) {
            counts[i + 1] = counts[i] + (argument.isNull(i) ? 0 : 1);
        }
        if (kind == Kind.COUNT) {
            long[] values = new long[end];
            for (int i = 0; i < end; i++) {
                values[i] = frameStart[i] <= frameEnd[i] ? counts[frameEnd[i] + 1] - counts[frameStart[i]] : 0;
            }
            return new Result.Longs(outputType, values, null);
        }
        boolean[] nulls = new boolean[end];
        if (argument instanceof ColumnValues.DecimalValues decimals) {
            return decimalSumAvg(kind, decimals, end, frameStart, frameEnd, counts, nulls);
        }
        if (argument instanceof ColumnValues.LongValues longs && (kind == Kind.AVG || outputType.representation() == PhysicalType.Representation.LONG)) {
            // 128-bit prefix sums: a frame's sum is exact, and fails only when it overflows itself
            long[] v = longs.values();
            long[] high = new long[end + 1];
            long[] low = new long[end + 1];
            for (int i = 0; i < end; i++) {
                long x = argument.isNull(i) ? 0 : v[i];
                long lo = low[i] + x;
                long carry = Long.compareUnsigned(lo, low[i]) < 0 ? 1 : 0;
                low[i + 1] = lo;
                high[i + 1] = high[i] + (x >> 63) + carry;
            }
            if (kind == Kind.AVG) {
                double[] values = new double[end];
                for (int i = 0; i < end; i++) {
                    int fs = frameStart[i];
                    int fe = frameEnd[i];
                    long n = fs <= fe ? counts[fe + 1] - counts[fs] : 0;
                    if (n == 0) {
                        nulls[i] = true;
                        continue;
                    }
                    long lo = low[fe + 1] - low[fs];
                    long borrow = Long.compareUnsigned(low[fe + 1], low[fs]) < 0 ? 1 : 0;
                    long hi = high[fe + 1] - high[fs] - borrow;
                    values[i] = toDouble(hi, lo) / n;
                }
                return new Result.Doubles(outputType, values, nulls);
            }
            long[] values = new long[end];
            for (int i = 0; i < end; i++) {
                int fs = frameStart[i];
                int fe = frameEnd[i];
                if (fs > fe || counts[fe + 1] == counts[fs]) {
                    nulls[i] = true;
                    continue;
                }
                long lo = low[fe + 1] - low[fs];
                long borrow = Long.compareUnsigned(low[fe + 1], low[fs]) < 0 ? 1 : 0;
                long hi = high[fe + 1] - high[fs] - borrow;
                if (hi != (lo >> 63)) {
                    throw new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "bigint addition overflow in window function " + function.name());
                }
                values[i] = lo;
            }
            return new Result.Longs(outputType, values, nulls);
        }
        // doubles: prefix sums of the finite values, counts of NaN and infinities
        double[] sums = new double[end + 1];
        int[] nan = new int[end + 1];
        int[] positive = new int[end + 1];
        int[] negative = new int[end + 1];
        for (int i = 0; i < end; i++) {
            double x = argument.isNull(i) ? 0 : switch (argument) {
                case ColumnValues.DoubleValues doubles -> doubles.get(i);
                case ColumnValues.LongValues longs -> (double) longs.get(i);
                default -> throw new IllegalStateException();
            };
            nan[i + 1] = nan[i] + (Double.isNaN(x) ? 1 : 0);
            positive[i + 1] = positive[i] + (x == Double.POSITIVE_INFINITY ? 1 : 0);
            negative[i + 1] = negative[i] + (x == Double.NEGATIVE_INFINITY ? 1 : 0);
            sums[i + 1] = sums[i] + (Double.isFinite(x) ? x : 0);
        }
        double[] values = new double[end];
        for (int i = 0; i < end; i++) {
            int fs = frameStart[i];
            int fe = frameEnd[i];
            long n = fs <= fe ? counts[fe + 1] - counts[fs] : 0;
            if (n == 0) {
                nulls[i] = true;
                continue;
            }
            int nans = nan[fe + 1] - nan[fs];
            int pos = positive[fe + 1] - positive[fs];
            int neg = negative[fe + 1] - negative[fs];
            double sum;
            if (nans > 0 || (pos > 0 && neg > 0)) {
                sum = Double.NaN;
            }
            else if (pos > 0) {
                sum = Double.POSITIVE_INFINITY;
            }
            else if (neg > 0) {
                sum = Double.NEGATIVE_INFINITY;
            }
            else {
                sum = fs == 0 ? sums[fe + 1] : sums[fe + 1] - sums[fs];
            }
            values[i] = kind == Kind.AVG ? sum / n : sum;
        }
        return new Result.Doubles(outputType, values, nulls);
    }

    private static final java.math.BigInteger MAX_DECIMAL = java.math.BigInteger.TEN.pow(38);

    /**
     * sum and avg of decimals over each row's frame, from 128-bit prefix sums of the unscaled values
     * (exact: a frame's sum is the difference of two prefixes); the average is rounded half up at the
     * argument's scale, as Trino's is. A result beyond 38 digits is NUMERIC_VALUE_OUT_OF_RANGE.
     */
    private static Result decimalSumAvg(Kind kind, ColumnValues.DecimalValues decimals, int end, int[] frameStart, int[] frameEnd, int[] counts, boolean[] nulls)
    {
        long[] prefixHigh = new long[end + 1];
        long[] prefixLow = new long[end + 1];
        for (int i = 0; i < end; i++) {
            long xHigh = decimals.isNull(i) ? 0 : decimals.high(i);
            long xLow = decimals.isNull(i) ? 0 : decimals.low(i);
            long lo = prefixLow[i] + xLow;
            long carry = Long.compareUnsigned(lo, prefixLow[i]) < 0 ? 1 : 0;
            prefixLow[i + 1] = lo;
            prefixHigh[i + 1] = prefixHigh[i] + xHigh + carry;
        }
        long[] high = new long[end];
        long[] low = new long[end];
        for (int i = 0; i < end; i++) {
            int fs = frameStart[i];
            int fe = frameEnd[i];
            long n = fs <= fe ? counts[fe + 1] - counts[fs] : 0;
            if (n == 0) {
                nulls[i] = true;
                continue;
            }
            long lo = prefixLow[fe + 1] - prefixLow[fs];
            long borrow = Long.compareUnsigned(prefixLow[fe + 1], prefixLow[fs]) < 0 ? 1 : 0;
            long hi = prefixHigh[fe + 1] - prefixHigh[fs] - borrow;
            if (kind == Kind.AVG && hi == (lo >> 63)) {
                // the sum fits a long: round half up (away from zero) without allocating
                long quotient = lo / n;
                long remainder = lo % n;
                if (Math.abs(remainder) * 2 >= n) {
                    quotient += Long.signum(lo);
                }
                hi = quotient >> 63;
                lo = quotient;
            }
            else if (kind == Kind.AVG) {
                java.math.BigInteger sum = java.math.BigInteger.valueOf(hi).shiftLeft(64).add(new java.math.BigInteger(Long.toUnsignedString(lo)));
                java.math.BigInteger average = new java.math.BigDecimal(sum).divide(java.math.BigDecimal.valueOf(n), 0, java.math.RoundingMode.HALF_UP).toBigIntegerExact();
                hi = average.shiftRight(64).longValue();
                lo = average.longValue();
            }
            else if (hi != (lo >> 63) && java.math.BigInteger.valueOf(hi).shiftLeft(64).add(new java.math.BigInteger(Long.toUnsignedString(lo))).abs().compareTo(MAX_DECIMAL) >= 0) {
                throw new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "Decimal overflow in window function sum");
            }
            high[i] = hi;
            low[i] = lo;
        }
        return new Result.Decimals(high, low, nulls);
    }

    private static double toDouble(long high, long low)
    {
        if (high == (low >> 63)) {
            return low;
        }
        double unsignedLow = (double) (low >>> 1) * 2.0 + (low & 1);
        return high * 18446744073709551616.0 + unsignedLow;
    }

    /** min/max with a monotonic deque of candidate rows: O(rows) since frame bounds only move forward. */
    private Result minMax(int f, Partitioning p, ColumnValues argument)
    {
        WindowFunction function = functions.get(f);
        int end = p.end();
        int[] frameStart = new int[end];
        int[] frameEnd = new int[end];
        frames(function.frame(), p, frameStart, frameEnd);
        boolean max = kinds[f] == Kind.MAX;
        int[] rows = new int[end];
        int[] deque = new int[Math.max(1, end)];
        int head = 0;
        int tail = 0;
        int pushed = 0;
        int partition = -1;
        for (int i = 0; i < end; i++) {
            if (p.partitionStart()[i] != partition) {
                partition = p.partitionStart()[i];
                head = 0;
                tail = 0;
                pushed = partition;
            }
            int fs = frameStart[i];
            int fe = frameEnd[i];
            while (pushed <= fe) {
                if (!argument.isNull(pushed)) {
                    while (tail > head) {
                        int c = argument.compare(deque[tail - 1], argument, pushed);
                        if (max ? c > 0 : c < 0) {
                            break;
                        }
                        tail--;
                    }
                    deque[tail++] = pushed;
                }
                pushed++;
            }
            while (head < tail && deque[head] < fs) {
                head++;
            }
            rows[i] = fs <= fe && head < tail ? deque[head] : -1;
        }
        return new Result.Rows(argumentColumn(f), rows, null);
    }

    // ------------------------------------------------------------------ frames

    /** Inclusive frame bounds per row; empty when start > end. */
    private void frames(Frame frame, Partitioning p, int[] frameStart, int[] frameEnd)
    {
        int end = p.end();
        if (frame.type() == FrameType.ROWS) {
            for (int i = 0; i < end; i++) {
                frameStart[i] = (int) Math.max(p.partitionStart()[i], Math.min(p.partitionEnd()[i], rowsBound(frame.start(), i, p)));
                frameEnd[i] = (int) Math.max(p.partitionStart()[i] - 1, Math.min(p.partitionEnd()[i] - 1, rowsBound(frame.end(), i, p)));
            }
            return;
        }
        boolean offsets = isOffset(frame.start().type()) || isOffset(frame.end().type());
        for (int i = 0; i < end; i++) {
            frameStart[i] = rangeBound(frame.start(), true, i, p);
            frameEnd[i] = rangeBound(frame.end(), false, i, p);
        }
        if (offsets) {
            rangeOffsets(frame, p, frameStart, frameEnd);
        }
    }

    private static long rowsBound(WindowFunction.Bound bound, int i, Partitioning p)
    {
        return switch (bound.type()) {
            case UNBOUNDED_PRECEDING -> p.partitionStart()[i];
            case PRECEDING -> (long) i - bound.offset();
            case CURRENT_ROW -> i;
            case FOLLOWING -> (long) i + Math.min(bound.offset(), Integer.MAX_VALUE);
            case UNBOUNDED_FOLLOWING -> p.partitionEnd()[i] - 1;
        };
    }

    /** RANGE bounds without offsets (offset bounds are filled in by {@link #rangeOffsets}). */
    private static int rangeBound(WindowFunction.Bound bound, boolean start, int i, Partitioning p)
    {
        return switch (bound.type()) {
            case UNBOUNDED_PRECEDING -> p.partitionStart()[i];
            case UNBOUNDED_FOLLOWING -> p.partitionEnd()[i] - 1;
            case CURRENT_ROW, PRECEDING, FOLLOWING -> start ? p.peerStart()[i] : p.peerEnd()[i] - 1;
        };
    }

    /**
     * RANGE n PRECEDING / n FOLLOWING on the single order key: per partition, over its non-null keys
     * (sorted), two pointers move forward. A row with a NULL key has its NULL peers as that bound.
     */
    private void rangeOffsets(Frame frame, Partitioning p, int[] frameStart, int[] frameEnd)
    {
        SortKey key = orderKeys.getFirst();
        ColumnValues values = p.keys().column(partitionKeyCount);
        boolean startOffset = isOffset(frame.start().type());
        boolean endOffset = isOffset(frame.end().type());
        int end = p.end();
        int ps = 0;
        while (ps < end) {
            int pe = p.partitionEnd()[ps];
            // the non-null keys of the partition: NULLs sort at one end
            int nonNullStart = ps;
            int nonNullEnd = pe;
            while (nonNullStart < pe && values.isNull(nonNullStart)) {
                nonNullStart++;
            }
            while (nonNullEnd > nonNullStart && values.isNull(nonNullEnd - 1)) {
                nonNullEnd--;
            }
            int low = nonNullStart;
            int high = nonNullStart - 1;
            for (int i = ps; i < pe; i++) {
                if (values.isNull(i)) {
                    continue;
                }
                if (startOffset) {
                    double target = target(values, i, frame.start(), key.ascending());
                    while (low < nonNullEnd && position(values, low, key.ascending()) < target) {
                        low++;
                    }
                    frameStart[i] = low;
                }
                if (endOffset) {
                    double target = target(values, i, frame.end(), key.ascending());
                    while (high + 1 < nonNullEnd && position(values, high + 1, key.ascending()) <= target) {
                        high++;
                    }
                    frameEnd[i] = high;
                }
            }
            ps = pe;
        }
    }

    /**
     * A row's key as a position on an increasing axis: the value when ascending, its negation when
     * descending. Longs become doubles, exact up to 2^53 (dates and timestamps in micros fit).
     */
    private static double position(ColumnValues values, int row, boolean ascending)
    {
        double value = switch (values) {
            case ColumnValues.LongValues longs -> longs.get(row);
            case ColumnValues.DoubleValues doubles -> {
                double d = doubles.get(row);
                // NaN sorts above every number: it acts as +Infinity
                yield Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
            default -> throw new IllegalStateException();
        };
        return ascending ? value : -value;
    }

    private static double target(ColumnValues values, int row, WindowFunction.Bound bound, boolean ascending)
    {
        double position = position(values, row, ascending);
        return bound.type() == BoundType.PRECEDING ? position - bound.offset() : position + bound.offset();
    }

    // ------------------------------------------------------------------ constants

    private static void setConstant(FieldVector vector, Object value)
    {
        vector.allocateNew();
        switch (vector) {
            case BitVector v -> v.setSafe(0, (Boolean) value ? 1 : 0);
            case TinyIntVector v -> v.setSafe(0, (byte) ((Number) value).longValue());
            case SmallIntVector v -> v.setSafe(0, (short) ((Number) value).longValue());
            case IntVector v -> v.setSafe(0, (int) ((Number) value).longValue());
            case BigIntVector v -> v.setSafe(0, ((Number) value).longValue());
            case Float4Vector v -> v.setSafe(0, ((Number) value).floatValue());
            case Float8Vector v -> v.setSafe(0, ((Number) value).doubleValue());
            case DateDayVector v -> v.setSafe(0, (int) ((Number) value).longValue());
            case TimeStampMicroVector v -> v.setSafe(0, ((Number) value).longValue());
            case DecimalVector v -> v.setSafe(0, value instanceof BigDecimal d ? d.setScale(v.getScale(), java.math.RoundingMode.HALF_UP) : new BigDecimal(value.toString()).setScale(v.getScale(), java.math.RoundingMode.HALF_UP));
            case BaseVariableWidthVector v -> v.setSafe(0, value instanceof byte[] bytes ? bytes : value.toString().getBytes(StandardCharsets.UTF_8));
            default -> throw new GlauxException(ErrorCode.NOT_SUPPORTED, "A default value of type " + vector.getField().getType() + " is not supported");
        }
        vector.setValueCount(1);
    }

    @Override
    public void close()
    {
        for (int f = 0; f < defaults.length; f++) {
            if (defaults[f] != null) {
                defaults[f].close();
                defaults[f] = null;
            }
        }
    }
}
