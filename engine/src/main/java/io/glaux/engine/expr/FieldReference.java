package io.glaux.engine.expr;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;

import java.util.ArrayList;
import java.util.List;

/**
 * A field of a {@code row} column, Trino's {@code r.f} (and {@code r.f.g} through nested rows): the
 * call {@value #NAME}{@code (row, field)}, {@code row} an input column or another field reference,
 * {@code field} the field's 0-based position as a bigint literal. NULL where the row (or a row on the
 * way) is NULL. Reads the field's child vector of the Arrow struct directly: nothing is copied but
 * the selected rows' values.
 */
public final class FieldReference
{
    /** The name of the call in expressions. */
    public static final String NAME = "$field";

    private FieldReference() {}

    /** The call reading field {@code field} of {@code row}, typed {@code type}. */
    public static Expression of(Expression row, int field, Type type)
    {
        if (!(row.type() instanceof Type.Row rowType) || field < 0 || field >= rowType.fields().size()) {
            throw new IllegalArgumentException("no field " + field + " in " + row.type().trinoName());
        }
        return new Expression.FunctionCall(NAME, List.of(row, new Expression.Literal((long) field, Type.BIGINT)), type);
    }

    static boolean is(Expression.FunctionCall call)
    {
        return call.name().equals(NAME);
    }

    static ValueEvaluator compile(ExpressionCompiler compiler, Expression.FunctionCall call)
    {
        List<Integer> path = new ArrayList<>();
        Expression current = call;
        while (current instanceof Expression.FunctionCall reference && is(reference)) {
            if (reference.arguments().size() != 2 || !(reference.arguments().get(1) instanceof Expression.Literal(Object value, Type _)) || !(value instanceof Long field)) {
                throw ExpressionCompiler.invalidExpression(NAME + " needs a row and a constant field position");
            }
            path.addFirst(Math.toIntExact(field));
            current = reference.arguments().getFirst();
        }
        if (!(current instanceof Expression.InputRef ref) || !compiler.readsColumnsDirectly()) {
            // a row computed in the query (map_entries(m)[1].key): its value's field blocks
            return new ComputedField(compiler.value(current), path.stream().mapToInt(Integer::intValue).toArray(), call.type());
        }
        Type type = compiler.inputType(ref);
        for (int field : path) {
            if (!(type instanceof Type.Row row) || field < 0 || field >= row.fields().size()) {
                throw ExpressionCompiler.invalidExpression("no field " + field + " in " + type.trinoName());
            }
            type = row.fields().get(field).type();
        }
        if (PhysicalType.of(type) == PhysicalType.OTHER) {
            throw ExpressionCompiler.notSupported("Computing on " + type.trinoName() + " values");
        }
        return new Evaluator(ref.index(), path.stream().mapToInt(Integer::intValue).toArray(), type);
    }

    private static final class Evaluator
            extends ValueEvaluator
    {
        private final int column;
        private final int[] path;

        Evaluator(int column, int[] path, Type type)
        {
            super(type);
            this.column = column;
            this.path = requireNonNull(path, "path is null");
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            FieldVector vector = batch.getVector(column);
            // a row on the way that is NULL makes the field NULL
            boolean[] parentNulls = null;
            for (int field : path) {
                StructVector struct = (StructVector) vector;
                if (struct.getNullCount() > 0) {
                    if (parentNulls == null) {
                        parentNulls = new boolean[count];
                    }
                    ArrowBuf validity = struct.getValidityBuffer();
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        parentNulls[j] |= ((validity.getByte(row >>> 3) >> (row & 7)) & 1) == 0;
                    }
                }
                vector = (FieldVector) struct.getChildByOrdinal(field);
            }
            Vectors.gather(vector, physicalType, positions, count, result);
            if (parentNulls != null) {
                boolean leafHasNull = result.hasNull;
                boolean[] nulls = result.nulls(count);
                if (!leafHasNull) {
                    java.util.Arrays.fill(nulls, 0, count, false);
                }
                for (int j = 0; j < count; j++) {
                    nulls[j] |= parentNulls[j];
                }
                result.hasNull = true;
            }
            return result;
        }
    }

    /** A field of a row computed by an expression: the field's values are copied out of its block, NULL where a row is. */
    private static final class ComputedField
            extends ValueEvaluator
    {
        private final ValueEvaluator row;
        private final int[] path;

        ComputedField(ValueEvaluator row, int[] path, Type type)
        {
            super(type);
            this.row = requireNonNull(row, "row is null");
            this.path = requireNonNull(path, "path is null");
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block rows = row.evaluate(batch, positions, count);
            Nested.reset(result, type);
            for (int j = 0; j < count; j++) {
                Block block = rows;
                for (int field : path) {
                    block = block.isNull(j) ? null : block.child(field);
                    if (block == null) {
                        break;
                    }
                }
                Nested.append(result, type, block, j);
            }
            return result;
        }
    }
}
