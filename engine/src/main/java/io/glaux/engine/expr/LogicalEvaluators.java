package io.glaux.engine.expr;

import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/** AND, OR, NOT, constants, boolean columns, IS NULL, and the boolean ↔ value adapters. */
final class LogicalEvaluators
{
    private LogicalEvaluators() {}

    /**
     * AND and OR. "AND is TRUE" and "OR is FALSE" refine the selection child by child; "AND is FALSE"
     * and "OR is TRUE" take the union of the children's answers, each child only seeing rows not yet
     * decided.
     */
    static final class AndOr
            extends BooleanEvaluator
    {
        private final BooleanEvaluator[] children;
        private final boolean and;
        private int[] remaining = new int[0];
        private int[] hits = new int[0];
        private byte[] marks = new byte[0];

        AndOr(List<BooleanEvaluator> children, boolean and)
        {
            this.children = children.toArray(BooleanEvaluator[]::new);
            this.and = and;
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            if (count == 0) {
                return 0;
            }
            if (and == wantTrue) {
                int n = children[0].select(batch, positions, count, wantTrue, out);
                for (int i = 1; i < children.length && n > 0; i++) {
                    n = children[i].select(batch, out, n, wantTrue, out);
                }
                return n;
            }
            if (remaining.length < count) {
                remaining = new int[Block.grow(remaining.length, count)];
                hits = new int[remaining.length];
            }
            int maxRow = positions[count - 1];
            if (marks.length <= maxRow) {
                marks = new byte[Block.grow(marks.length, maxRow + 1)];
            }
            int[] rest = remaining;
            int[] found = hits;
            byte[] mark = marks;
            System.arraycopy(positions, 0, rest, 0, count);
            int restCount = count;
            for (BooleanEvaluator child : children) {
                if (restCount == 0) {
                    break;
                }
                int h = child.select(batch, rest, restCount, wantTrue, found);
                if (h == 0) {
                    continue;
                }
                for (int i = 0; i < h; i++) {
                    mark[found[i]] = 1;
                }
                int r = 0;
                for (int i = 0; i < restCount; i++) {
                    int row = rest[i];
                    rest[r] = row;
                    r += 1 - mark[row];
                }
                restCount = r;
            }
            int k = 0;
            for (int j = 0; j < count; j++) {
                int row = positions[j];
                out[k] = row;
                k += mark[row];
                mark[row] = 0;
            }
            return k;
        }
    }

    static final class Not
            extends BooleanEvaluator
    {
        private final BooleanEvaluator child;

        Not(BooleanEvaluator child)
        {
            this.child = child;
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            return child.select(batch, positions, count, !wantTrue, out);
        }
    }

    /** TRUE, FALSE or NULL. */
    static final class Constant
            extends BooleanEvaluator
    {
        private final Boolean value;

        Constant(Boolean value)
        {
            this.value = value;
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            if (value == null || value != wantTrue) {
                return 0;
            }
            copyIfNeeded(positions, count, out);
            return count;
        }
    }

    /** A boolean input column. */
    static final class BooleanColumn
            extends BooleanEvaluator
    {
        private final int index;

        BooleanColumn(int index)
        {
            this.index = index;
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            if (count == 0) {
                return 0;
            }
            FieldVector vector = batch.getVector(index);
            ArrowBuf data = vector.getDataBuffer();
            int flip = wantTrue ? 0 : 1;
            int k = 0;
            for (int j = 0; j < count; j++) {
                int row = positions[j];
                out[k] = row;
                k += ((data.getByte(row >>> 3) >> (row & 7)) & 1) ^ flip;
            }
            if (Vectors.hasNulls(vector)) {
                k = removeNullRows(vector.getValidityBuffer(), out, k);
            }
            return k;
        }
    }

    /** IS NULL (or, negated, IS NOT NULL) of an input column: reads only the validity bitmap. */
    static final class ColumnIsNull
            extends BooleanEvaluator
    {
        private final int index;
        private final boolean negated;

        ColumnIsNull(int index, boolean negated)
        {
            this.index = index;
            this.negated = negated;
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            FieldVector vector = batch.getVector(index);
            boolean wantNull = wantTrue != negated;
            if (count == 0 || !Vectors.hasNulls(vector)) {
                if (wantNull) {
                    return 0;
                }
                copyIfNeeded(positions, count, out);
                return count;
            }
            ArrowBuf validity = vector.getValidityBuffer();
            int flip = wantNull ? 1 : 0;
            int k = 0;
            for (int j = 0; j < count; j++) {
                int row = positions[j];
                out[k] = row;
                k += ((validity.getByte(row >>> 3) >> (row & 7)) & 1) ^ flip;
            }
            return k;
        }
    }

    /** IS NULL (or IS NOT NULL) of a computed value. */
    static final class ValueIsNull
            extends BooleanEvaluator
    {
        private final ValueEvaluator value;
        private final boolean negated;

        ValueIsNull(ValueEvaluator value, boolean negated)
        {
            this.value = value;
            this.negated = negated;
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            Block block = value.evaluate(batch, positions, count);
            boolean wantNull = wantTrue != negated;
            if (!block.hasNull) {
                if (wantNull) {
                    return 0;
                }
                copyIfNeeded(positions, count, out);
                return count;
            }
            boolean[] nulls = block.nulls;
            int k = 0;
            for (int j = 0; j < count; j++) {
                out[k] = positions[j];
                k += nulls[j] == wantNull ? 1 : 0;
            }
            return k;
        }
    }

    /** A boolean-typed computed value (e.g. a CAST to boolean) used as a condition. */
    static final class ValueAsCondition
            extends BooleanEvaluator
    {
        private final ValueEvaluator value;

        ValueAsCondition(ValueEvaluator value)
        {
            this.value = value;
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            Block block = value.evaluate(batch, positions, count);
            long[] values = block.longs;
            int k = 0;
            if (block.hasNull) {
                boolean[] nulls = block.nulls;
                for (int j = 0; j < count; j++) {
                    out[k] = positions[j];
                    k += (!nulls[j] && (values[j] != 0) == wantTrue) ? 1 : 0;
                }
            }
            else {
                for (int j = 0; j < count; j++) {
                    out[k] = positions[j];
                    k += (values[j] != 0) == wantTrue ? 1 : 0;
                }
            }
            return k;
        }
    }

    /** A condition computed as a boolean value (0/1, NULL where neither TRUE nor FALSE). */
    static final class ConditionAsValue
            extends ValueEvaluator
    {
        private final BooleanEvaluator condition;
        private int[] trueRows = new int[0];
        private int[] falseRows = new int[0];

        ConditionAsValue(BooleanEvaluator condition)
        {
            super(Type.BOOLEAN);
            this.condition = condition;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            if (trueRows.length < count) {
                trueRows = new int[Block.grow(trueRows.length, count)];
                falseRows = new int[trueRows.length];
            }
            int t = condition.select(batch, positions, count, true, trueRows);
            int f = condition.select(batch, positions, count, false, falseRows);
            long[] values = result.longs(count);
            if (t + f == count) {
                // no NULLs: merge by walking the true rows
                int ti = 0;
                for (int j = 0; j < count; j++) {
                    int isTrue = ti < t && trueRows[ti] == positions[j] ? 1 : 0;
                    values[j] = isTrue;
                    ti += isTrue;
                }
                result.noNulls(count);
                return result;
            }
            boolean[] nulls = result.nulls(count);
            int ti = 0;
            int fi = 0;
            for (int j = 0; j < count; j++) {
                int row = positions[j];
                if (ti < t && trueRows[ti] == row) {
                    values[j] = 1;
                    nulls[j] = false;
                    ti++;
                }
                else if (fi < f && falseRows[fi] == row) {
                    values[j] = 0;
                    nulls[j] = false;
                    fi++;
                }
                else {
                    values[j] = 0;
                    nulls[j] = true;
                }
            }
            result.count = count;
            result.hasNull = true;
            return result;
        }
    }
}
