package io.glaux.engine.operator.join;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.FilterEvaluator;
import io.glaux.engine.expr.Selection;
import io.glaux.engine.operator.Batches;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A join condition over (left ++ right) columns, evaluated over candidate pairs: the columns the
 * condition reads are gathered for the pairs into one batch (only those: the expression is compiled
 * once over a compacted input), the compiled filter selects the pairs where it is TRUE, and the pair
 * arrays are compacted in place. No per-row objects.
 */
final class PairFilter
{
    private final int[] leftColumns;
    private final int[] rightColumns;
    private final List<Type> compactTypes;
    private final FilterEvaluator evaluator;
    private long[] scratch = new long[0];

    PairFilter(Expression condition, List<Type> leftTypes, List<Type> rightTypes)
    {
        int width = leftTypes.size() + rightTypes.size();
        boolean[] used = new boolean[width];
        markUsed(condition, used);
        int[] mapping = new int[width];
        Arrays.fill(mapping, -1);
        List<Integer> left = new ArrayList<>();
        List<Integer> right = new ArrayList<>();
        List<Type> types = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            if (used[i]) {
                mapping[i] = types.size();
                if (i < leftTypes.size()) {
                    left.add(i);
                    types.add(leftTypes.get(i));
                }
                else {
                    right.add(i - leftTypes.size());
                    types.add(rightTypes.get(i - leftTypes.size()));
                }
            }
        }
        leftColumns = left.stream().mapToInt(Integer::intValue).toArray();
        rightColumns = right.stream().mapToInt(Integer::intValue).toArray();
        compactTypes = List.copyOf(types);
        evaluator = FilterEvaluator.compile(remap(condition, mapping), compactTypes);
    }

    private static void markUsed(Expression expression, boolean[] used)
    {
        switch (expression) {
            case Expression.InputRef ref -> {
                if (ref.index() < 0 || ref.index() >= used.length) {
                    throw new IllegalArgumentException("join condition refers to column " + ref.index() + " of " + used.length);
                }
                used[ref.index()] = true;
            }
            case Expression.Literal _ -> {}
            case Expression.Call call -> call.arguments().forEach(argument -> markUsed(argument, used));
            case Expression.FunctionCall call -> call.arguments().forEach(argument -> markUsed(argument, used));
            case Expression.SpecialForm form -> form.arguments().forEach(argument -> markUsed(argument, used));
        }
    }

    private static Expression remap(Expression expression, int[] mapping)
    {
        return switch (expression) {
            case Expression.InputRef ref -> new Expression.InputRef(mapping[ref.index()], ref.type());
            case Expression.Literal literal -> literal;
            case Expression.Call call -> new Expression.Call(call.operator(), call.arguments().stream().map(argument -> remap(argument, mapping)).toList(), call.type());
            case Expression.FunctionCall call -> new Expression.FunctionCall(call.name(), call.arguments().stream().map(argument -> remap(argument, mapping)).toList(), call.type());
            case Expression.SpecialForm form -> new Expression.SpecialForm(form.form(), form.arguments().stream().map(argument -> remap(argument, mapping)).toList(), form.type());
        };
    }

    /**
     * Keeps the pairs {@code (probeRows[i], buildRows[i])}, {@code i < count}, for which the condition is
     * TRUE, compacting both arrays in place; returns how many remain.
     *
     * @param probe the probe batch's vectors
     * @param build the build side: per column, its vectors (one per build batch)
     * @param buildAddresses a build row's (batch, row) address, by build row
     */
    int filter(FieldVector[] probe, int[] probeRows, FieldVector[][] build, long[] buildAddresses, int[] buildRows, int count, BufferAllocator allocator)
    {
        if (count == 0) {
            return 0;
        }
        if (scratch.length < count) {
            scratch = new long[Math.max(count, scratch.length * 2)];
        }
        long[] addresses = scratch;
        try (VectorSchemaRoot batch = Batches.create(compactTypes, allocator)) {
            int column = 0;
            if (leftColumns.length > 0) {
                for (int i = 0; i < count; i++) {
                    addresses[i] = probeRows[i];
                }
                for (int left : leftColumns) {
                    JoinGather.gather(new FieldVector[] {probe[left]}, addresses, count, batch.getVector(column++));
                }
            }
            if (rightColumns.length > 0) {
                for (int i = 0; i < count; i++) {
                    addresses[i] = buildAddresses[buildRows[i]];
                }
                for (int right : rightColumns) {
                    JoinGather.gather(build[right], addresses, count, batch.getVector(column++));
                }
            }
            batch.setRowCount(count);
            Selection selected = evaluator.filter(batch);
            if (selected.isAll()) {
                return count;
            }
            int[] positions = selected.positions();
            int kept = selected.count();
            for (int i = 0; i < kept; i++) {
                int position = positions[i];
                probeRows[i] = probeRows[position];
                buildRows[i] = buildRows[position];
            }
            return kept;
        }
    }
}
