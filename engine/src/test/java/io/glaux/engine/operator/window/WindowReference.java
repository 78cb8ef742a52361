package io.glaux.engine.operator.window;

import io.glaux.engine.operator.sort.SortTesting;
import io.glaux.engine.plan.SortKey;
import io.glaux.engine.plan.WindowFunction;
import io.glaux.engine.plan.WindowFunction.Bound;
import io.glaux.engine.plan.WindowFunction.BoundType;
import io.glaux.engine.plan.WindowFunction.FrameType;
import io.glaux.spi.type.Type;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Window functions the slow, obvious way: sort the rows (stably) by partition then order keys, then
 * for every row scan its partition, its peers and its frame.
 */
final class WindowReference
{
    private WindowReference() {}

    static List<List<Object>> evaluate(List<List<Object>> input, List<Integer> partitionKeys, List<SortKey> orderKeys, List<WindowFunction> functions)
    {
        List<SortKey> partitionSort = partitionKeys.stream().map(SortKey::ascending).toList();
        Comparator<List<Object>> byPartition = SortTesting.comparator(partitionSort);
        Comparator<List<Object>> byOrder = SortTesting.comparator(orderKeys);
        List<List<Object>> rows = new ArrayList<>(input);
        rows.sort(byPartition.thenComparing(byOrder));
        List<List<Object>> output = new ArrayList<>();
        int ps = 0;
        while (ps < rows.size()) {
            int pe = ps + 1;
            while (pe < rows.size() && byPartition.compare(rows.get(ps), rows.get(pe)) == 0) {
                pe++;
            }
            List<List<Object>> partition = rows.subList(ps, pe);
            for (int i = 0; i < partition.size(); i++) {
                List<Object> row = new ArrayList<>(partition.get(i));
                int firstPeer = i;
                while (firstPeer > 0 && byOrder.compare(partition.get(firstPeer - 1), partition.get(i)) == 0) {
                    firstPeer--;
                }
                int lastPeer = i;
                while (lastPeer + 1 < partition.size() && byOrder.compare(partition.get(lastPeer + 1), partition.get(i)) == 0) {
                    lastPeer++;
                }
                for (WindowFunction function : functions) {
                    row.add(evaluate(partition, i, firstPeer, lastPeer, byOrder, orderKeys, function));
                }
                output.add(row);
            }
            ps = pe;
        }
        return output;
    }

    private static Object evaluate(List<List<Object>> partition, int i, int firstPeer, int lastPeer, Comparator<List<Object>> byOrder, List<SortKey> orderKeys,
            WindowFunction function)
    {
        int n = partition.size();
        Integer argument = function.arguments().isEmpty() ? null : function.arguments().getFirst();
        List<Object> constants = function.constants();
        switch (function.name()) {
            case "row_number":
                return (long) i + 1;
            case "rank":
                return (long) firstPeer + 1;
            case "dense_rank": {
                long rank = 1;
                for (int j = 1; j <= i; j++) {
                    if (byOrder.compare(partition.get(j - 1), partition.get(j)) != 0) {
                        rank++;
                    }
                }
                return rank;
            }
            case "percent_rank":
                return n == 1 ? 0.0 : (double) firstPeer / (n - 1);
            case "cume_dist":
                return (double) (lastPeer + 1) / n;
            case "ntile": {
                long buckets = ((Number) constants.getFirst()).longValue();
                // the first n % buckets buckets get one row more
                long row = 0;
                for (long bucket = 1; bucket <= buckets; bucket++) {
                    long size = n / buckets + (bucket <= n % buckets ? 1 : 0);
                    if (i < row + size) {
                        return bucket;
                    }
                    row += size;
                }
                return (long) i + 1;
            }
            case "lag":
            case "lead": {
                long offset = constants.isEmpty() ? 1 : ((Number) constants.getFirst()).longValue();
                Object defaultValue = constants.size() > 1 ? constants.get(1) : null;
                int step = function.name().equals("lag") ? -1 : 1;
                if (offset == 0) {
                    return partition.get(i).get(argument);
                }
                int j = i;
                long remaining = offset;
                while (true) {
                    j += step;
                    if (j < 0 || j >= n) {
                        return defaultValue;
                    }
                    if (!function.ignoreNulls() || partition.get(j).get(argument) != null) {
                        remaining--;
                    }
                    if (remaining == 0) {
                        return partition.get(j).get(argument);
                    }
                }
            }
            default:
                break;
        }
        // frame functions
        List<Integer> frame = frame(partition, i, firstPeer, lastPeer, orderKeys, function.frame());
        List<Object> values = new ArrayList<>();
        for (int j : frame) {
            values.add(argument == null ? Boolean.TRUE : partition.get(j).get(argument));
        }
        List<Object> nonNull = values.stream().filter(v -> v != null).toList();
        switch (function.name()) {
            case "first_value":
                return function.ignoreNulls() ? (nonNull.isEmpty() ? null : nonNull.getFirst()) : (values.isEmpty() ? null : values.getFirst());
            case "last_value":
                return function.ignoreNulls() ? (nonNull.isEmpty() ? null : nonNull.getLast()) : (values.isEmpty() ? null : values.getLast());
            case "nth_value": {
                int k = (int) ((Number) constants.getFirst()).longValue();
                List<Object> source = function.ignoreNulls() ? nonNull : values;
                return k <= source.size() ? source.get(k - 1) : null;
            }
            case "count":
                return (long) (argument == null ? values.size() : nonNull.size());
            case "sum":
            case "avg": {
                if (nonNull.isEmpty()) {
                    return null;
                }
                boolean integral = nonNull.getFirst() instanceof Long;
                if (integral && function.name().equals("sum")) {
                    long sum = 0;
                    for (Object v : nonNull) {
                        sum = Math.addExact(sum, (Long) v);
                    }
                    return sum;
                }
                double sum = 0;
                for (Object v : nonNull) {
                    sum += ((Number) v).doubleValue();
                }
                if (function.name().equals("sum")) {
                    return sum;
                }
                double avg = sum / nonNull.size();
                return function.type().equals(Type.REAL) ? (double) (float) avg : avg;
            }
            case "min":
            case "max": {
                Object best = null;
                for (Object v : nonNull) {
                    if (best == null) {
                        best = v;
                        continue;
                    }
                    int c = SortTesting.compareValues(v, best);
                    if (function.name().equals("min") ? c < 0 : c > 0) {
                        best = v;
                    }
                }
                return best;
            }
            default:
                throw new IllegalArgumentException(function.name());
        }
    }

    /** The rows of row i's frame: from the first row meeting the start bound to the last meeting the end bound. */
    private static List<Integer> frame(List<List<Object>> partition, int i, int firstPeer, int lastPeer, List<SortKey> orderKeys, WindowFunction.Frame frame)
    {
        int n = partition.size();
        int start = n;
        for (int j = 0; j < n; j++) {
            if (meetsStart(partition, i, j, firstPeer, orderKeys, frame.type(), frame.start())) {
                start = j;
                break;
            }
        }
        int end = -1;
        for (int j = n - 1; j >= 0; j--) {
            if (meetsEnd(partition, i, j, lastPeer, orderKeys, frame.type(), frame.end())) {
                end = j;
                break;
            }
        }
        List<Integer> rows = new ArrayList<>();
        for (int j = start; j <= end; j++) {
            rows.add(j);
        }
        return rows;
    }

    private static boolean meetsStart(List<List<Object>> partition, int i, int j, int firstPeer, List<SortKey> orderKeys, FrameType type, Bound bound)
    {
        return switch (bound.type()) {
            case UNBOUNDED_PRECEDING -> true;
            case CURRENT_ROW -> type == FrameType.ROWS ? j >= i : j >= firstPeer;
            case PRECEDING, FOLLOWING -> {
                long delta = bound.type() == BoundType.PRECEDING ? -bound.offset() : bound.offset();
                if (type == FrameType.ROWS) {
                    yield j >= i + delta;
                }
                Double pi = position(partition.get(i), orderKeys);
                if (pi == null) {
                    yield j >= firstPeer;
                }
                Double pj = position(partition.get(j), orderKeys);
                // a NULL key lies beyond every value: after all (NULLS LAST) meets any start bound
                yield pj == null ? !orderKeys.getFirst().nullsFirst() : pj >= pi + delta;
            }
            case UNBOUNDED_FOLLOWING -> throw new IllegalArgumentException();
        };
    }

    private static boolean meetsEnd(List<List<Object>> partition, int i, int j, int lastPeer, List<SortKey> orderKeys, FrameType type, Bound bound)
    {
        return switch (bound.type()) {
            case UNBOUNDED_FOLLOWING -> true;
            case CURRENT_ROW -> type == FrameType.ROWS ? j <= i : j <= lastPeer;
            case PRECEDING, FOLLOWING -> {
                long delta = bound.type() == BoundType.PRECEDING ? -bound.offset() : bound.offset();
                if (type == FrameType.ROWS) {
                    yield j <= i + delta;
                }
                Double pi = position(partition.get(i), orderKeys);
                if (pi == null) {
                    yield j <= lastPeer;
                }
                Double pj = position(partition.get(j), orderKeys);
                // before all (NULLS FIRST) meets any end bound
                yield pj == null ? orderKeys.getFirst().nullsFirst() : pj <= pi + delta;
            }
            case UNBOUNDED_PRECEDING -> throw new IllegalArgumentException();
        };
    }

    /** The single order key as a position on an increasing axis (negated when descending). */
    private static Double position(List<Object> row, List<SortKey> orderKeys)
    {
        SortKey key = orderKeys.getFirst();
        Object value = row.get(key.column());
        if (value == null) {
            return null;
        }
        double v = ((Number) value).doubleValue();
        // NaN sorts above every number: it acts as +Infinity
        v = Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
        return key.ascending() ? v : -v;
    }
}
