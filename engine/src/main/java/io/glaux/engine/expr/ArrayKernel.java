package io.glaux.engine.expr;

import io.glaux.spi.type.Type;

import java.util.List;

/**
 * A strict function over array (or map) values: {@link #row} computes one non-NULL row, in row order,
 * and emits its value exactly once (a scalar, one value of an input block, or an array built in
 * {@link #elements()} and closed by {@link #endArray}). Elements are read from the input blocks'
 * children between their offsets: no per-element objects.
 */
abstract class ArrayKernel
        extends Kernel
{
    final boolean nestedResult;

    ArrayKernel(Type type, List<ValueEvaluator> args)
    {
        super(type, args);
        this.nestedResult = Nested.isNested(type);
    }

    @Override
    final void compute(int count, boolean[] nulls)
    {
        if (nestedResult) {
            Nested.reset(result, type);
        }
        prepare(count);
        for (int j = 0; j < count; j++) {
            if (nulls[j]) {
                emitNull(j);
            }
            else {
                row(j);
            }
        }
    }

    /** Called once per batch before the rows, with the arguments evaluated. */
    void prepare(int count)
    {
    }

    /** Computes and emits row {@code j} (no argument is NULL there). */
    abstract void row(int j);

    // ------------------------------------------------------------------ input

    final Block elementsOf(int arg)
    {
        return in[arg].child(0);
    }

    final int from(int arg, int j)
    {
        return in[arg].offsets[j];
    }

    final int to(int arg, int j)
    {
        return in[arg].offsets[j + 1];
    }

    // ------------------------------------------------------------------ output

    final void emitNull(int j)
    {
        if (nestedResult) {
            Nested.appendNull(result, type);
        }
        else if (physicalType.representation() == PhysicalType.Representation.BYTES) {
            setNull(j);
        }
        else {
            result.nulls[j] = true;
        }
    }

    final void emitLong(int j, long value)
    {
        result.longs[j] = value;
    }

    final void emitDouble(int j, double value)
    {
        result.doubles[j] = value;
    }

    /** Emits value {@code i} of {@code source} (a block of the result type), NULL when it is. */
    final void emitValue(int j, Block source, int i)
    {
        if (source.isNull(i)) {
            emitNull(j);
            return;
        }
        if (nestedResult) {
            Nested.append(result, type, source, i);
            return;
        }
        switch (physicalType.representation()) {
            case LONG -> result.longs[j] = source.longs[i];
            case DOUBLE -> result.doubles[j] = source.doubles[i];
            case BYTES -> setBytes(j, source.bytes, source.offsets[i], source.offsets[i + 1] - source.offsets[i]);
            case OTHER -> throw new IllegalStateException();
        }
    }

    /** The elements of the array being built (the result is an array). */
    final Block elements()
    {
        return result.child(0);
    }

    /** Ends the array of row {@code j}, made of what was appended to {@link #elements()} since the last row. */
    final void endArray(int j)
    {
        Nested.endArray(result);
    }
}
