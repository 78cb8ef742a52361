package io.glaux.engine.expr;

import io.glaux.spi.type.Type;

/**
 * The Arrow layout of a SQL type (see {@link Type}) and how the evaluator holds its values in a
 * {@link Block}: integer types, boolean (0/1), date (days) and timestamp (micros) as longs; real and
 * double as doubles; varchar and varbinary as bytes; decimal as unscaled longs. Everything else is {@link #OTHER}: it can be
 * projected (copied) but not computed on.
 */
public enum PhysicalType
{
    BOOLEAN(Representation.LONG, 0),
    INT8(Representation.LONG, 1),
    INT16(Representation.LONG, 2),
    INT32(Representation.LONG, 4),
    INT64(Representation.LONG, 8),
    FLOAT32(Representation.DOUBLE, 4),
    FLOAT64(Representation.DOUBLE, 8),
    /** decimal(p, s): Arrow Decimal128 in vectors; in a block, the unscaled value as a long (|value| < 2^63). */
    DECIMAL(Representation.LONG, 16),
    VARIABLE_WIDTH(Representation.BYTES, -1),
    OTHER(Representation.OTHER, -1);

    /** How values are held in a {@link Block}. */
    public enum Representation
    {
        LONG, DOUBLE, BYTES, OTHER
    }

    private final Representation representation;
    private final int byteWidth;

    PhysicalType(Representation representation, int byteWidth)
    {
        this.representation = representation;
        this.byteWidth = byteWidth;
    }

    public Representation representation()
    {
        return representation;
    }

    /** Bytes per value in the Arrow data buffer; 0 for bit-packed boolean, -1 for variable width. */
    public int byteWidth()
    {
        return byteWidth;
    }

    public static PhysicalType of(Type type)
    {
        return switch (type) {
            case Type.Primitive primitive -> switch (primitive.kind()) {
                case BOOLEAN -> BOOLEAN;
                case TINYINT -> INT8;
                case SMALLINT -> INT16;
                case INTEGER, DATE -> INT32;
                case BIGINT, INTERVAL_DAY_TO_SECOND -> INT64;
                case INTERVAL_YEAR_TO_MONTH -> INT32;
                case REAL -> FLOAT32;
                case DOUBLE -> FLOAT64;
                case VARBINARY, UUID -> VARIABLE_WIDTH;
                case IPADDRESS, IPPREFIX, JSON -> VARIABLE_WIDTH;
            };
            case Type.Time _, Type.Timestamp _, Type.TimestampWithTimeZone _ -> INT64;
            case Type.Varchar _ -> VARIABLE_WIDTH;
            case Type.Decimal _ -> DECIMAL;
            case Type.Array _, Type.MapType _, Type.Row _ -> OTHER;
        };
    }
}
