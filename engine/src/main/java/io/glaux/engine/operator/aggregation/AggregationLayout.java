package io.glaux.engine.operator.aggregation;

import io.glaux.engine.expr.PhysicalType;
import io.glaux.spi.type.Type;

/**
 * How aggregation holds a column's values: as {@link PhysicalType#of}, except that decimals are kept
 * at their full 128 bits (read from the Decimal128 vector by the key and accumulator code, not
 * through a 64-bit {@code Block}), so sums and keys of decimals up to 38 digits are exact.
 */
final class AggregationLayout
{
    private AggregationLayout() {}

    static PhysicalType of(Type type)
    {
        return type instanceof Type.Decimal ? PhysicalType.OTHER : PhysicalType.of(type);
    }
}
