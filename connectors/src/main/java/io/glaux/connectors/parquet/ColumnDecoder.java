package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.predicate.Domain;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Decodes one Parquet leaf column into the Arrow vector of the engine type the table declares
 * (schema-on-read), and converts its statistics, dictionary and column-index values for pruning.
 * Created only for combinations that are allowed; anything else is {@code BAD_DATA} at open time.
 * Flat columns are decoded by {@link FlatColumnReader}, which uses the {@link Conversion} chosen here;
 * the rest go value by value through parquet-java's {@code ColumnReader} ({@link #decode} for flat
 * chunks it does not take, {@link #writeValue} for the leaves of nested columns, whose levels
 * {@link NestedColumn} handles).
 */
final class ColumnDecoder
{
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** How values travel from the file to the vector; one tight loop per kind. */
    enum Conversion
    {
        BOOLEAN,
        INT32_TO_TINYINT, INT32_TO_SMALLINT, INT32_TO_INTEGER, INT32_TO_BIGINT, INT32_TO_DOUBLE,
        UINT32_TO_NARROW, UINT32_TO_BIGINT, UINT32_TO_DOUBLE,
        UINT64_TO_NARROW, UINT64_TO_BIGINT, UINT64_TO_DOUBLE,
        INT64_TO_TINYINT, INT64_TO_SMALLINT, INT64_TO_INTEGER, INT64_TO_BIGINT, INT64_TO_DOUBLE,
        DATE,
        TIMESTAMP_MILLIS, TIMESTAMP_MICROS, TIMESTAMP_NANOS, INT96_TIMESTAMP,
        FLOAT_TO_REAL, FLOAT_TO_DOUBLE, DOUBLE, FLOAT16_TO_REAL, FLOAT16_TO_DOUBLE,
        BINARY_TO_VARCHAR, BINARY_TO_VARBINARY, UUID_TO_VARCHAR,
        DECIMAL_FROM_INT, DECIMAL_FROM_BINARY,
    }

    private final String path;
    /** the column as named in messages, quoted: {@code 'c'} or {@code 'c' (Parquet field c.list.element)} */
    private final String column;
    private final ColumnDescriptor descriptor;
    private final Type type;
    private final Conversion conversion;
    private final int maxDefinitionLevel;
    /** for decimals: the file's scale and whether values can be copied without rescaling */
    private final int fileScale;
    private final boolean decimalFastPath;

    private ColumnDecoder(String path, String column, ColumnDescriptor descriptor, Type type, Conversion conversion, int fileScale, boolean decimalFastPath)
    {
        this.path = requireNonNull(path, "path is null");
        this.column = requireNonNull(column, "column is null");
        this.descriptor = requireNonNull(descriptor, "descriptor is null");
        this.type = requireNonNull(type, "type is null");
        this.conversion = requireNonNull(conversion, "conversion is null");
        this.maxDefinitionLevel = descriptor.getMaxDefinitionLevel();
        this.fileScale = fileScale;
        this.decimalFastPath = decimalFastPath;
    }

    ColumnDescriptor descriptor()
    {
        return descriptor;
    }

    Conversion conversion()
    {
        return conversion;
    }

    /** The engine type values are read as. */
    Type type()
    {
        return type;
    }

    /** Whether decimal values are copied without rescaling (same scale, enough precision). */
    boolean decimalFastPath()
    {
        return decimalFastPath;
    }

    /** The decoder of file column {@code descriptor} read as {@code type}, or {@code BAD_DATA} when it cannot be. */
    static ColumnDecoder create(String path, String column, ColumnDescriptor descriptor, Type type)
    {
        return create(path, column, null, descriptor, type);
    }

    /**
     * @param column the table column, named in error messages
     * @param leaf for a leaf of a nested column, its Parquet path (also named in messages), else null
     */
    static ColumnDecoder create(String path, String column, String leaf, ColumnDescriptor descriptor, Type type)
    {
        String label = leaf == null ? "'" + column + "'" : "'" + column + "' (Parquet field " + leaf + ")";
        PrimitiveType primitive = descriptor.getPrimitiveType();
        PrimitiveTypeName physical = primitive.getPrimitiveTypeName();
        LogicalTypeAnnotation logical = primitive.getLogicalTypeAnnotation();
        Conversion conversion = null;
        int fileScale = 0;
        boolean decimalFastPath = false;

        if (type instanceof Type.Decimal decimal) {
            if (logical instanceof DecimalLogicalTypeAnnotation fileDecimal) {
                fileScale = fileDecimal.getScale();
                decimalFastPath = fileDecimal.getScale() == decimal.scale() && fileDecimal.getPrecision() <= decimal.precision();
                conversion = switch (physical) {
                    case INT32, INT64 -> Conversion.DECIMAL_FROM_INT;
                    case BINARY, FIXED_LEN_BYTE_ARRAY -> Conversion.DECIMAL_FROM_BINARY;
                    default -> null;
                };
            }
            else if ((physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64) && isSignedInteger(logical)) {
                conversion = Conversion.DECIMAL_FROM_INT;
                decimalFastPath = decimal.scale() == 0 && decimal.precision() >= (physical == PrimitiveTypeName.INT32 ? 10 : 19);
            }
        }
        else if (type instanceof Type.Varchar) {
            if (physical == PrimitiveTypeName.BINARY && isString(logical)) {
                conversion = Conversion.BINARY_TO_VARCHAR;
            }
            else if (physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY && primitive.getTypeLength() == 16
                    && logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
                conversion = Conversion.UUID_TO_VARCHAR;
            }
        }
        else if (type instanceof Type.Timestamp) {
            if (physical == PrimitiveTypeName.INT96) {
                conversion = Conversion.INT96_TIMESTAMP;
            }
            else if (physical == PrimitiveTypeName.INT64 && logical instanceof TimestampLogicalTypeAnnotation timestamp) {
                conversion = switch (timestamp.getUnit()) {
                    case MILLIS -> Conversion.TIMESTAMP_MILLIS;
                    case MICROS -> Conversion.TIMESTAMP_MICROS;
                    case NANOS -> Conversion.TIMESTAMP_NANOS;
                };
            }
        }
        else if (type instanceof Type.Primitive p) {
            boolean int32 = physical == PrimitiveTypeName.INT32 && isSignedInteger(logical);
            boolean uint32 = physical == PrimitiveTypeName.INT32 && isUnsignedInteger(logical);
            boolean int64 = physical == PrimitiveTypeName.INT64 && isSignedInteger(logical);
            boolean uint64 = physical == PrimitiveTypeName.INT64 && isUnsignedInteger(logical);
            boolean float16 = physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY && primitive.getTypeLength() == 2
                    && logical instanceof LogicalTypeAnnotation.Float16LogicalTypeAnnotation;
            conversion = switch (p.kind()) {
                case BOOLEAN -> physical == PrimitiveTypeName.BOOLEAN ? Conversion.BOOLEAN : null;
                case TINYINT -> int32 ? Conversion.INT32_TO_TINYINT : int64 ? Conversion.INT64_TO_TINYINT : narrowUnsigned(uint32, uint64);
                case SMALLINT -> int32 ? Conversion.INT32_TO_SMALLINT : int64 ? Conversion.INT64_TO_SMALLINT : narrowUnsigned(uint32, uint64);
                case INTEGER -> int32 ? Conversion.INT32_TO_INTEGER : int64 ? Conversion.INT64_TO_INTEGER : narrowUnsigned(uint32, uint64);
                case BIGINT -> int32 ? Conversion.INT32_TO_BIGINT : uint32 ? Conversion.UINT32_TO_BIGINT : int64 ? Conversion.INT64_TO_BIGINT
                        : uint64 ? Conversion.UINT64_TO_BIGINT : null;
                case REAL -> physical == PrimitiveTypeName.FLOAT ? Conversion.FLOAT_TO_REAL : float16 ? Conversion.FLOAT16_TO_REAL : null;
                case DOUBLE -> switch (physical) {
                    case DOUBLE -> Conversion.DOUBLE;
                    case FLOAT -> Conversion.FLOAT_TO_DOUBLE;
                    case INT32 -> int32 ? Conversion.INT32_TO_DOUBLE : uint32 ? Conversion.UINT32_TO_DOUBLE : null;
                    case INT64 -> int64 ? Conversion.INT64_TO_DOUBLE : uint64 ? Conversion.UINT64_TO_DOUBLE : null;
                    case FIXED_LEN_BYTE_ARRAY -> float16 ? Conversion.FLOAT16_TO_DOUBLE : null;
                    default -> null;
                };
                case UUID, IPADDRESS, IPPREFIX, JSON, INTERVAL_DAY_TO_SECOND, INTERVAL_YEAR_TO_MONTH -> null;
                case VARBINARY -> (physical == PrimitiveTypeName.BINARY || physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
                        && !(logical instanceof DecimalLogicalTypeAnnotation) ? Conversion.BINARY_TO_VARBINARY : null;
                case DATE -> physical == PrimitiveTypeName.INT32 && logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? Conversion.DATE : null;
            };
        }
        else {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Column %s of %s: reading Parquet into %s is not supported yet"
                    .formatted(label, path, type.trinoName()));
        }
        if (conversion == null) {
            throw new GlauxException(ErrorCode.BAD_DATA, "Column %s of %s has Parquet type %s, which cannot be read as %s"
                    .formatted(label, path, describe(primitive), type.trinoName()));
        }
        return new ColumnDecoder(path, label, descriptor, type, conversion, fileScale, decimalFastPath);
    }

    private static Conversion narrowUnsigned(boolean uint32, boolean uint64)
    {
        return uint32 ? Conversion.UINT32_TO_NARROW : uint64 ? Conversion.UINT64_TO_NARROW : null;
    }

    static String describe(PrimitiveType primitive)
    {
        LogicalTypeAnnotation logical = primitive.getLogicalTypeAnnotation();
        String physical = primitive.getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
                ? "FIXED_LEN_BYTE_ARRAY(" + primitive.getTypeLength() + ")"
                : primitive.getPrimitiveTypeName().name();
        return logical == null ? physical : physical + " (" + logical + ")";
    }

    private static boolean isSignedInteger(LogicalTypeAnnotation logical)
    {
        return logical == null || (logical instanceof IntLogicalTypeAnnotation integer && integer.isSigned());
    }

    private static boolean isUnsignedInteger(LogicalTypeAnnotation logical)
    {
        return logical instanceof IntLogicalTypeAnnotation integer && !integer.isSigned();
    }

    private static boolean isString(LogicalTypeAnnotation logical)
    {
        return logical == null
                || logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Allocates {@code vector}, reads the next {@code rows} values of {@code reader} into it and sets its
     * value count. parquet-java's per-value path: for the chunks {@link FlatColumnReader} does not decode
     * (rare conversions) and, in tests, as the reference it is compared with.
     */
    void decode(ColumnReader reader, FieldVector vector, int rows)
    {
        int maxDef = maxDefinitionLevel;
        vector.setInitialCapacity(rows);
        vector.allocateNew();
        for (int i = 0; i < rows; i++) {
            if (maxDef == 0 || reader.getCurrentDefinitionLevel() == maxDef) {
                writeValue(reader, vector, i);
            }
            else {
                vector.setNull(i);
            }
            reader.consume();
        }
        vector.setValueCount(rows);
    }

    /** The next value as a signed long, for the narrowing conversions (unsigned values are checked here). */
    private long readLong(ColumnReader reader)
    {
        return switch (conversion) {
            case UINT32_TO_NARROW -> Integer.toUnsignedLong(reader.getInteger());
            case UINT64_TO_NARROW, UINT64_TO_BIGINT -> {
                long x = reader.getLong();
                if (x < 0) {
                    throw unsignedOutOfRange(x);
                }
                yield x;
            }
            default -> reader.getLong();
        };
    }

    private long narrow(long x, FieldVector vector)
    {
        long min;
        long max;
        switch (vector) {
            case TinyIntVector _ -> {
                min = Byte.MIN_VALUE;
                max = Byte.MAX_VALUE;
            }
            case SmallIntVector _ -> {
                min = Short.MIN_VALUE;
                max = Short.MAX_VALUE;
            }
            case IntVector _ -> {
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
            }
            default -> {
                return x;
            }
        }
        if (x < min || x > max) {
            throw outOfRange(x);
        }
        return x;
    }

    /**
     * Writes the current value of {@code reader} (which must be defined) at {@code index}, growing the
     * vector when needed.
     */
    void writeValue(ColumnReader reader, FieldVector vector, int index)
    {
        switch (conversion) {
            case BOOLEAN -> ((BitVector) vector).setSafe(index, reader.getBoolean() ? 1 : 0);
            case INT32_TO_TINYINT -> ((TinyIntVector) vector).setSafe(index, (byte) narrow(reader.getInteger(), vector));
            case INT32_TO_SMALLINT -> ((SmallIntVector) vector).setSafe(index, (short) narrow(reader.getInteger(), vector));
            case INT32_TO_INTEGER -> ((IntVector) vector).setSafe(index, reader.getInteger());
            case INT32_TO_BIGINT -> ((BigIntVector) vector).setSafe(index, reader.getInteger());
            case INT32_TO_DOUBLE -> ((Float8Vector) vector).setSafe(index, reader.getInteger());
            case UINT32_TO_BIGINT -> ((BigIntVector) vector).setSafe(index, Integer.toUnsignedLong(reader.getInteger()));
            case UINT32_TO_DOUBLE -> ((Float8Vector) vector).setSafe(index, (double) Integer.toUnsignedLong(reader.getInteger()));
            case INT64_TO_TINYINT, INT64_TO_SMALLINT, INT64_TO_INTEGER, UINT32_TO_NARROW, UINT64_TO_NARROW -> {
                long x = narrow(readLong(reader), vector);
                switch (vector) {
                    case TinyIntVector v -> v.setSafe(index, (byte) x);
                    case SmallIntVector v -> v.setSafe(index, (short) x);
                    case IntVector v -> v.setSafe(index, (int) x);
                    default -> throw new IllegalStateException("unexpected vector " + vector);
                }
            }
            case UINT64_TO_BIGINT -> ((BigIntVector) vector).setSafe(index, readLong(reader));
            case UINT64_TO_DOUBLE -> {
                long x = reader.getLong();
                double d = x >= 0 ? (double) x : new BigDecimal(Long.toUnsignedString(x)).doubleValue();
                ((Float8Vector) vector).setSafe(index, d);
            }
            case INT64_TO_BIGINT -> ((BigIntVector) vector).setSafe(index, reader.getLong());
            case INT64_TO_DOUBLE -> ((Float8Vector) vector).setSafe(index, (double) reader.getLong());
            case DATE -> ((DateDayVector) vector).setSafe(index, reader.getInteger());
            case TIMESTAMP_MILLIS -> ((TimeStampMicroVector) vector).setSafe(index, Math.multiplyExact(reader.getLong(), 1000L));
            case TIMESTAMP_MICROS -> ((TimeStampMicroVector) vector).setSafe(index, reader.getLong());
            case TIMESTAMP_NANOS -> ((TimeStampMicroVector) vector).setSafe(index, Math.floorDiv(reader.getLong(), 1000L));
            case INT96_TIMESTAMP -> ((TimeStampMicroVector) vector).setSafe(index, int96ToMicros(reader.getBinary()));
            case FLOAT_TO_REAL -> ((Float4Vector) vector).setSafe(index, reader.getFloat());
            case FLOAT_TO_DOUBLE -> ((Float8Vector) vector).setSafe(index, reader.getFloat());
            case DOUBLE -> ((Float8Vector) vector).setSafe(index, reader.getDouble());
            case FLOAT16_TO_REAL -> ((Float4Vector) vector).setSafe(index, float16(reader.getBinary()));
            case FLOAT16_TO_DOUBLE -> ((Float8Vector) vector).setSafe(index, float16(reader.getBinary()));
            case BINARY_TO_VARCHAR -> {
                ByteBuffer bytes = reader.getBinary().toByteBuffer();
                ((VarCharVector) vector).setSafe(index, bytes, bytes.position(), bytes.remaining());
            }
            case BINARY_TO_VARBINARY -> {
                ByteBuffer bytes = reader.getBinary().toByteBuffer();
                ((VarBinaryVector) vector).setSafe(index, bytes, bytes.position(), bytes.remaining());
            }
            case UUID_TO_VARCHAR -> ((VarCharVector) vector).setSafe(index, uuid(reader.getBinary()).getBytes(StandardCharsets.US_ASCII));
            case DECIMAL_FROM_INT -> {
                DecimalVector v = (DecimalVector) vector;
                long unscaled = descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64 ? reader.getLong() : reader.getInteger();
                if (decimalFastPath) {
                    v.setSafe(index, unscaled);
                }
                else {
                    v.setSafe(index, rescale(BigDecimal.valueOf(unscaled, fileScale), v));
                }
            }
            case DECIMAL_FROM_BINARY -> {
                DecimalVector v = (DecimalVector) vector;
                byte[] bytes = reader.getBinary().getBytesUnsafe();
                if (decimalFastPath && bytes.length <= 16) {
                    v.setBigEndianSafe(index, bytes);
                }
                else {
                    v.setSafe(index, rescale(new BigDecimal(new BigInteger(bytes), fileScale), v));
                }
            }
        }
    }

    private static float float16(Binary binary)
    {
        if (binary.length() != 2) {
            throw new IllegalArgumentException("FLOAT16 value of " + binary.length() + " bytes");
        }
        ByteBuffer bytes = binary.toByteBuffer();
        int p = bytes.position();
        return Float.float16ToFloat((short) ((bytes.get(p) & 0xFF) | (bytes.get(p + 1) & 0xFF) << 8));
    }

    private static String uuid(Binary binary)
    {
        if (binary.length() != 16) {
            throw new IllegalArgumentException("UUID value of " + binary.length() + " bytes");
        }
        ByteBuffer bytes = binary.toByteBuffer().order(ByteOrder.BIG_ENDIAN);
        int p = bytes.position();
        return new UUID(bytes.getLong(p), bytes.getLong(p + 8)).toString();
    }

    private BigDecimal rescale(BigDecimal value, DecimalVector vector)
    {
        try {
            BigDecimal scaled = value.setScale(vector.getScale(), RoundingMode.UNNECESSARY);
            if (scaled.precision() > vector.getPrecision()) {
                throw new ArithmeticException("precision " + scaled.precision() + " exceeds " + vector.getPrecision());
            }
            return scaled;
        }
        catch (ArithmeticException e) {
            throw new GlauxException(ErrorCode.BAD_DATA, "Column %s of %s: value %s does not fit %s"
                    .formatted(column, path, value.toPlainString(), type.trinoName()), e);
        }
    }

    GlauxException outOfRange(long value)
    {
        return new GlauxException(ErrorCode.BAD_DATA, "Column %s of %s: value %d (Parquet %s) is out of range for %s"
                .formatted(column, path, value, describe(descriptor.getPrimitiveType()), type.trinoName()));
    }

    /** An unsigned 64-bit value above Long.MAX_VALUE (negative as a signed long), which no engine integer holds. */
    GlauxException unsignedOutOfRange(long value)
    {
        return new GlauxException(ErrorCode.BAD_DATA, "Column %s of %s: value %s (Parquet %s) is out of range for %s"
                .formatted(column, path, Long.toUnsignedString(value), describe(descriptor.getPrimitiveType()), type.trinoName()));
    }

    static long int96ToMicros(Binary binary)
    {
        if (binary.length() != 12) {
            throw new IllegalArgumentException("INT96 timestamp of " + binary.length() + " bytes");
        }
        ByteBuffer buffer = binary.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int start = buffer.position();
        return int96ToMicros(buffer.getLong(start), buffer.getInt(start + 8));
    }

    /** An INT96 timestamp (nanoseconds of the day, then the Julian day, both little endian) in microseconds since the epoch. */
    static long int96ToMicros(long nanosOfDay, int julianDay)
    {
        return (Integer.toUnsignedLong(julianDay) - JULIAN_EPOCH_DAY) * MICROS_PER_DAY + Math.floorDiv(nanosOfDay, 1000L);
    }

    // ------------------------------------------------------------------ statistics

    /**
     * Whether the row group whose chunk of this column is {@code chunk} may hold a value {@code domain}
     * accepts. True whenever the statistics are missing or not usable for this type.
     */
    @SuppressWarnings("rawtypes")
    boolean mayMatch(ColumnChunkMetaData chunk, Domain domain)
    {
        Statistics<?> statistics = chunk.getStatistics();
        if (statistics == null || statistics.isEmpty()) {
            return true;
        }
        boolean nullsKnown = statistics.isNumNullsSet();
        long nulls = nullsKnown ? statistics.getNumNulls() : -1;
        long values = chunk.getValueCount();
        if (nullsKnown && values > 0 && nulls >= values) {
            return domain.nullAllowed();
        }
        if (!statistics.hasNonNullValue()) {
            return true;
        }
        Comparable min = statisticValue(statistics.genericGetMin(), true);
        Comparable max = statisticValue(statistics.genericGetMax(), false);
        if (min == null || max == null) {
            return true;
        }
        try {
            return domain.overlaps(min, max, !nullsKnown || nulls > 0);
        }
        catch (ClassCastException e) {
            // the domain's values are not of this column's representation: cannot prune
            return true;
        }
    }

    /**
     * Whether the chunk's statistics name a value that {@code domain} lets through: its minimum or
     * maximum, values the writer saw. Then neither the dictionary nor a bloom filter can rule the chunk
     * out, and fetching them is wasted. (Statistics that are only bounds make this a guess; a wrong
     * guess costs a skipped pruning check, never a wrong result.)
     */
    @SuppressWarnings("rawtypes")
    boolean statisticsShowMatch(ColumnChunkMetaData chunk, Domain domain)
    {
        Statistics<?> statistics = chunk.getStatistics();
        if (statistics == null || statistics.isEmpty() || !statistics.hasNonNullValue()) {
            return false;
        }
        Comparable min = statisticValue(statistics.genericGetMin(), true);
        Comparable max = statisticValue(statistics.genericGetMax(), false);
        try {
            return (min != null && domain.includes(min)) || (max != null && domain.includes(max));
        }
        catch (ClassCastException e) {
            // the domain's values are not of this column's representation
            return false;
        }
    }

    /** A statistic in the engine's representation of {@link #type}, or null when it cannot be used. */
    Comparable<?> statisticValue(Object value, boolean isMin)
    {
        if (value == null) {
            return null;
        }
        return switch (conversion) {
            case BOOLEAN -> (Boolean) value;
            case INT32_TO_TINYINT, INT32_TO_SMALLINT, INT32_TO_INTEGER, INT32_TO_BIGINT, DATE -> (long) (Integer) value;
            case INT64_TO_TINYINT, INT64_TO_SMALLINT, INT64_TO_INTEGER, INT64_TO_BIGINT, TIMESTAMP_MICROS -> (Long) value;
            case INT32_TO_DOUBLE -> (double) (Integer) value;
            case INT64_TO_DOUBLE -> isMin ? Math.nextDown((double) (Long) value) : Math.nextUp((double) (Long) value);
            case TIMESTAMP_MILLIS -> {
                long millis = (Long) value;
                yield millis > Long.MAX_VALUE / 1000 || millis < Long.MIN_VALUE / 1000 ? null : millis * 1000;
            }
            case TIMESTAMP_NANOS -> Math.floorDiv((Long) value, 1000L);
            case FLOAT_TO_REAL, FLOAT_TO_DOUBLE -> floatingStatistic(((Float) value).doubleValue(), isMin);
            case DOUBLE -> floatingStatistic((Double) value, isMin);
            case BINARY_TO_VARCHAR -> stringStatistic((Binary) value);
            // unsigned values, INT96 (no defined order), binary, half floats, UUIDs and decimal: no pruning
            case UINT32_TO_NARROW, UINT32_TO_BIGINT, UINT32_TO_DOUBLE, UINT64_TO_NARROW, UINT64_TO_BIGINT, UINT64_TO_DOUBLE, INT96_TIMESTAMP,
                    BINARY_TO_VARBINARY, FLOAT16_TO_REAL, FLOAT16_TO_DOUBLE, UUID_TO_VARCHAR, DECIMAL_FROM_INT, DECIMAL_FROM_BINARY -> null;
        };
    }

    /** A value of a column's dictionary as the engine sees it (see {@link #statisticValue}), or null when unknown. */
    Comparable<?> dictionaryValue(Dictionary dictionary, int id, boolean isMin)
    {
        Object raw = switch (descriptor.getPrimitiveType().getPrimitiveTypeName()) {
            case BOOLEAN -> dictionary.decodeToBoolean(id);
            case INT32 -> dictionary.decodeToInt(id);
            case INT64 -> dictionary.decodeToLong(id);
            case FLOAT -> dictionary.decodeToFloat(id);
            case DOUBLE -> dictionary.decodeToDouble(id);
            case BINARY, FIXED_LEN_BYTE_ARRAY -> dictionary.decodeToBinary(id);
            case INT96 -> null;
        };
        return statisticValue(raw, isMin);
    }

    /** A min or max of a column index (plain-encoded bytes) as the engine sees it, or null when unknown. */
    Comparable<?> indexValue(ByteBuffer bytes, boolean isMin)
    {
        ByteBuffer le = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int p = le.position();
        Object raw = switch (descriptor.getPrimitiveType().getPrimitiveTypeName()) {
            case BOOLEAN -> le.remaining() >= 1 ? (Object) (le.get(p) != 0) : null;
            case INT32 -> le.remaining() >= 4 ? (Object) le.getInt(p) : null;
            case INT64 -> le.remaining() >= 8 ? (Object) le.getLong(p) : null;
            case FLOAT -> le.remaining() >= 4 ? (Object) le.getFloat(p) : null;
            case DOUBLE -> le.remaining() >= 8 ? (Object) le.getDouble(p) : null;
            case BINARY, FIXED_LEN_BYTE_ARRAY -> Binary.fromConstantByteBuffer(bytes.duplicate());
            case INT96 -> null;
        };
        return statisticValue(raw, isMin);
    }

    /** Marks a value that cannot occur in this column at all (a bloom filter need not be asked). */
    static final Object ABSENT = new Object();

    /**
     * The Parquet value a bloom filter hashes for the engine value {@code value} (Integer, Long, Float,
     * Double or Binary), {@link #ABSENT} when no value of this column can equal it, or null when the
     * filter cannot be used for it (then it must be assumed present).
     */
    Object bloomFilterValue(Object value)
    {
        return switch (conversion) {
            case INT32_TO_TINYINT, INT32_TO_SMALLINT, INT32_TO_INTEGER, INT32_TO_BIGINT, DATE ->
                    value instanceof Long l ? (l == (int) (long) l ? (Object) (int) (long) l : ABSENT) : null;
            case INT64_TO_TINYINT, INT64_TO_SMALLINT, INT64_TO_INTEGER, INT64_TO_BIGINT, TIMESTAMP_MICROS -> value instanceof Long l ? l : null;
            case TIMESTAMP_MILLIS -> value instanceof Long l ? (l % 1000 == 0 ? (Object) (l / 1000) : ABSENT) : null;
            case FLOAT_TO_REAL, FLOAT_TO_DOUBLE -> {
                if (!(value instanceof Double d) || Double.isNaN(d) || d == 0.0) {
                    yield null;
                }
                float f = (float) (double) d;
                yield (double) f == d ? (Object) f : ABSENT;
            }
            case DOUBLE -> value instanceof Double d && !Double.isNaN(d) && d != 0.0 ? d : null;
            case BINARY_TO_VARCHAR -> value instanceof String s ? Binary.fromString(s) : null;
            default -> null;
        };
    }

    private static Double floatingStatistic(double value, boolean isMin)
    {
        if (Double.isNaN(value)) {
            return null;
        }
        if (value == 0.0) {
            // -0.0 and +0.0 are equal in SQL but not to Double.compareTo: widen to cover both
            return isMin ? -0.0 : 0.0;
        }
        return value;
    }

    /**
     * Parquet orders strings by unsigned bytes (code points); Java's String.compareTo orders by UTF-16
     * units. They agree unless a string holds a character at or above U+D800, so such bounds are dropped.
     */
    private static String stringStatistic(Binary binary)
    {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(binary.toByteBuffer());
            for (int i = chars.position(); i < chars.limit(); i++) {
                if (chars.get(i) >= '\uD800') {
                    return null;
                }
            }
            return chars.toString();
        }
        catch (CharacterCodingException e) {
            return null;
        }
    }
}
