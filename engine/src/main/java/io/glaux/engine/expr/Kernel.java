package io.glaux.engine.expr;

import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The evaluator of a strict scalar function (NULL when any argument is NULL): evaluates the arguments
 * for the selection, then {@link #compute} fills the result for the rows not NULL. Subclasses write a
 * tight loop over {@code [0, count)}; variable-width results are written in row order with
 * {@link #setBytes}/{@link #setNull}, for every row.
 */
abstract class Kernel
        extends ValueEvaluator
{
    final ValueEvaluator[] args;
    final Block[] in;
    /** For variable-width results: the next free byte. */
    private int position;

    Kernel(Type type, List<ValueEvaluator> args)
    {
        super(type);
        this.args = args.toArray(ValueEvaluator[]::new);
        this.in = new Block[this.args.length];
    }

    @Override
    final Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
    {
        for (int i = 0; i < args.length; i++) {
            in[i] = args[i].evaluate(batch, positions, count);
        }
        boolean[] nulls = result.nulls(count);
        java.util.Arrays.fill(nulls, 0, count, false);
        for (Block block : in) {
            if (block.hasNull) {
                boolean[] n = block.nulls;
                for (int j = 0; j < count; j++) {
                    nulls[j] |= n[j];
                }
            }
        }
        result.count = count;
        switch (physicalType.representation()) {
            case LONG -> result.longs(count);
            case DOUBLE -> result.doubles(count);
            case BYTES -> {
                result.offsets(count + 1)[0] = 0;
                position = 0;
            }
            case OTHER -> { }
        }
        compute(count, nulls);
        boolean any = false;
        for (int j = 0; j < count; j++) {
            any |= nulls[j];
        }
        result.hasNull = any;
        return result;
    }

    /** Fills the result for {@code [0, count)}; {@code nulls[j]} is set for rows with a NULL argument and may be set for more. */
    abstract void compute(int count, boolean[] nulls);

    // ------------------------------------------------------------------ variable-width output, in row order

    final void setNull(int j)
    {
        result.nulls[j] = true;
        if (physicalType.representation() == PhysicalType.Representation.BYTES) {
            result.offsets[j + 1] = position;
        }
    }

    final void setBytes(int j, byte[] bytes, int from, int length)
    {
        byte[] out = result.bytes(position + length, position);
        System.arraycopy(bytes, from, out, position, length);
        position += length;
        result.offsets[j + 1] = position;
    }

    final void setString(int j, String value)
    {
        if (value == null) {
            setNull(j);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        setBytes(j, bytes, 0, bytes.length);
    }

    /** Reserves {@code length} bytes for row {@code j}, returns the array to write at {@link #reserved()}. */
    final byte[] reserve(int length)
    {
        return result.bytes(position + length, position);
    }

    final int reserved()
    {
        return position;
    }

    /** Ends row {@code j} after writing {@code length} bytes at {@link #reserved()}. */
    final void commit(int j, int length)
    {
        position += length;
        result.offsets[j + 1] = position;
    }

    // ------------------------------------------------------------------ input access

    final String string(int arg, int j)
    {
        Block block = in[arg];
        int from = block.offsets[j];
        return new String(block.bytes, from, block.offsets[j + 1] - from, StandardCharsets.UTF_8);
    }
}
