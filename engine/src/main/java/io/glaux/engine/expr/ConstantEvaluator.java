package io.glaux.engine.expr;

import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.Arrays;

/** A literal, repeated for every selected row (the block is filled once per size increase). */
final class ConstantEvaluator
        extends ValueEvaluator
{
    private final Object value;
    private final long longValue;
    private final double doubleValue;
    private final byte[] bytesValue;
    private int filled;

    ConstantEvaluator(Object value, Type type)
    {
        super(type);
        this.value = value;
        if (physicalType == PhysicalType.OTHER && !Nested.computable(type)) {
            throw ExpressionCompiler.notSupported("Computing on " + type.trinoName() + " values");
        }
        long l = 0;
        double d = 0;
        byte[] b = null;
        if (value != null) {
            switch (physicalType.representation()) {
                case LONG -> l = Literals.toLong(value, type);
                case DOUBLE -> d = Literals.toDouble(value, type);
                case BYTES -> b = Literals.toBytes(value);
                case OTHER -> { }
            }
        }
        this.longValue = l;
        this.doubleValue = d;
        this.bytesValue = b;
    }

    @Override
    Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
    {
        if (count > filled) {
            fill(count);
        }
        result.count = count;
        return result;
    }

    private void fill(int count)
    {
        int capacity = Math.max(count, filled * 2);
        if (Nested.isNested(type)) {
            Nested.reset(result, type);
            for (int j = 0; j < capacity; j++) {
                Nested.appendLiteral(result, type, value);
            }
        }
        else if (value == null) {
            Arrays.fill(result.nulls(capacity), true);
            result.longs(capacity);
            result.doubles(capacity);
            Arrays.fill(result.offsets(capacity + 1), 0);
            result.hasNull = true;
        }
        else {
            switch (physicalType.representation()) {
                case LONG -> Arrays.fill(result.longs(capacity), longValue);
                case DOUBLE -> Arrays.fill(result.doubles(capacity), doubleValue);
                case BYTES -> {
                    int[] offsets = result.offsets(capacity + 1);
                    byte[] bytes = result.bytes(Math.multiplyExact(bytesValue.length, capacity), 0);
                    for (int j = 0; j < capacity; j++) {
                        System.arraycopy(bytesValue, 0, bytes, j * bytesValue.length, bytesValue.length);
                        offsets[j] = j * bytesValue.length;
                    }
                    offsets[capacity] = capacity * bytesValue.length;
                }
                case OTHER -> throw new IllegalStateException();
            }
            result.hasNull = false;
        }
        filled = capacity;
    }
}
