package io.glaux.catalog.hive;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.ColumnStatistics;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.hadoop.hive.metastore.api.BooleanColumnStatsData;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsData;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.Date;
import org.apache.hadoop.hive.metastore.api.DateColumnStatsData;
import org.apache.hadoop.hive.metastore.api.Decimal;
import org.apache.hadoop.hive.metastore.api.DecimalColumnStatsData;
import org.apache.hadoop.hive.metastore.api.DoubleColumnStatsData;
import org.apache.hadoop.hive.metastore.api.LongColumnStatsData;
import org.apache.hadoop.hive.metastore.api.StringColumnStatsData;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Hive's column statistics (one Thrift union per column type family) to and from {@link ColumnStatistics}. */
final class ColumnStatisticsMapping
{
    private static final List<Type> INTEGERS = List.of(Type.TINYINT, Type.SMALLINT, Type.INTEGER, Type.BIGINT);

    private ColumnStatisticsMapping() {}

    static ColumnStatistics fromThrift(ColumnStatisticsObj column)
    {
        ColumnStatisticsData data = column.getStatsData();
        if (data == null) {
            return ColumnStatistics.EMPTY;
        }
        if (data.isSetLongStats()) {
            LongColumnStatsData stats = data.getLongStats();
            return new ColumnStatistics(count(stats.isSetNumDVs(), stats.getNumDVs()), count(stats.isSetNumNulls(), stats.getNumNulls()),
                    stats.isSetLowValue() ? OptionalDouble.of(stats.getLowValue()) : OptionalDouble.empty(),
                    stats.isSetHighValue() ? OptionalDouble.of(stats.getHighValue()) : OptionalDouble.empty());
        }
        if (data.isSetDoubleStats()) {
            DoubleColumnStatsData stats = data.getDoubleStats();
            return new ColumnStatistics(count(stats.isSetNumDVs(), stats.getNumDVs()), count(stats.isSetNumNulls(), stats.getNumNulls()),
                    stats.isSetLowValue() ? OptionalDouble.of(stats.getLowValue()) : OptionalDouble.empty(),
                    stats.isSetHighValue() ? OptionalDouble.of(stats.getHighValue()) : OptionalDouble.empty());
        }
        if (data.isSetDecimalStats()) {
            DecimalColumnStatsData stats = data.getDecimalStats();
            return new ColumnStatistics(count(stats.isSetNumDVs(), stats.getNumDVs()), count(stats.isSetNumNulls(), stats.getNumNulls()),
                    stats.isSetLowValue() ? OptionalDouble.of(decimal(stats.getLowValue())) : OptionalDouble.empty(),
                    stats.isSetHighValue() ? OptionalDouble.of(decimal(stats.getHighValue())) : OptionalDouble.empty());
        }
        if (data.isSetDateStats()) {
            DateColumnStatsData stats = data.getDateStats();
            return new ColumnStatistics(count(stats.isSetNumDVs(), stats.getNumDVs()), count(stats.isSetNumNulls(), stats.getNumNulls()),
                    stats.isSetLowValue() ? OptionalDouble.of(stats.getLowValue().getDaysSinceEpoch()) : OptionalDouble.empty(),
                    stats.isSetHighValue() ? OptionalDouble.of(stats.getHighValue().getDaysSinceEpoch()) : OptionalDouble.empty());
        }
        if (data.isSetStringStats()) {
            StringColumnStatsData stats = data.getStringStats();
            return new ColumnStatistics(count(stats.isSetNumDVs(), stats.getNumDVs()), count(stats.isSetNumNulls(), stats.getNumNulls()),
                    OptionalDouble.empty(), OptionalDouble.empty());
        }
        if (data.isSetBooleanStats()) {
            BooleanColumnStatsData stats = data.getBooleanStats();
            long distinct = (stats.getNumTrues() > 0 ? 1 : 0) + (stats.getNumFalses() > 0 ? 1 : 0);
            return new ColumnStatistics(OptionalLong.of(distinct), count(stats.isSetNumNulls(), stats.getNumNulls()), OptionalDouble.empty(), OptionalDouble.empty());
        }
        if (data.isSetBinaryStats()) {
            return new ColumnStatistics(OptionalLong.empty(), count(data.getBinaryStats().isSetNumNulls(), data.getBinaryStats().getNumNulls()),
                    OptionalDouble.empty(), OptionalDouble.empty());
        }
        return ColumnStatistics.EMPTY;
    }

    /** Hive's statistics of {@code column} (NOT_SUPPORTED for a type whose statistics Hive keeps other than by distinct values, nulls and range). */
    static ColumnStatisticsObj toThrift(Column column, ColumnStatistics statistics)
    {
        Type type = column.type();
        long distinct = statistics.distinctValues().orElse(0);
        long nulls = statistics.nulls().orElse(0);
        ColumnStatisticsData data = new ColumnStatisticsData();
        if (INTEGERS.contains(type)) {
            LongColumnStatsData stats = new LongColumnStatsData(nulls, distinct);
            statistics.min().ifPresent(min -> stats.setLowValue((long) min));
            statistics.max().ifPresent(max -> stats.setHighValue((long) max));
            data.setLongStats(stats);
        }
        else if (type.equals(Type.REAL) || type.equals(Type.DOUBLE)) {
            DoubleColumnStatsData stats = new DoubleColumnStatsData(nulls, distinct);
            statistics.min().ifPresent(stats::setLowValue);
            statistics.max().ifPresent(stats::setHighValue);
            data.setDoubleStats(stats);
        }
        else if (type instanceof Type.Decimal decimal) {
            DecimalColumnStatsData stats = new DecimalColumnStatsData(nulls, distinct);
            statistics.min().ifPresent(min -> stats.setLowValue(decimal(min, decimal.scale())));
            statistics.max().ifPresent(max -> stats.setHighValue(decimal(max, decimal.scale())));
            data.setDecimalStats(stats);
        }
        else if (type.equals(Type.DATE)) {
            DateColumnStatsData stats = new DateColumnStatsData(nulls, distinct);
            statistics.min().ifPresent(min -> stats.setLowValue(new Date((long) min)));
            statistics.max().ifPresent(max -> stats.setHighValue(new Date((long) max)));
            data.setDateStats(stats);
        }
        else if (type.hiveName().startsWith("string") || type.hiveName().startsWith("varchar") || type.hiveName().startsWith("char")) {
            data.setStringStats(new StringColumnStatsData(0, 0, nulls, distinct));
        }
        else {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Column statistics of column '%s' of type %s are not supported".formatted(column.name(), type.trinoName()));
        }
        return new ColumnStatisticsObj(column.name(), type.hiveName(), data);
    }

    private static OptionalLong count(boolean set, long value)
    {
        return set && value >= 0 ? OptionalLong.of(value) : OptionalLong.empty();
    }

    private static double decimal(Decimal value)
    {
        return new BigDecimal(new BigInteger(value.getUnscaled()), value.getScale()).doubleValue();
    }

    private static Decimal decimal(double value, int scale)
    {
        BigDecimal exact = BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP);
        return new Decimal((short) scale, java.nio.ByteBuffer.wrap(exact.unscaledValue().toByteArray()));
    }
}
