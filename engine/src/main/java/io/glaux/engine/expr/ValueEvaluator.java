package io.glaux.engine.expr;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A compiled scalar expression that computes its values for the rows {@code positions[0..count)}
 * into a {@link Block} it owns (densely, index j for the j-th row). The returned block is valid until
 * the next call.
 */
abstract class ValueEvaluator
{
    final Type type;
    final PhysicalType physicalType;
    final Block result = new Block();

    ValueEvaluator(Type type)
    {
        this.type = requireNonNull(type, "type is null");
        this.physicalType = PhysicalType.of(type);
    }

    abstract Block evaluate(VectorSchemaRoot batch, int[] positions, int count);
}
