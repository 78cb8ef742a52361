package io.glaux.coordinator.ddl;

import static io.glaux.coordinator.sql.ast.ParserSupport.quoteHiveString;
import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.Table;
import io.glaux.coordinator.query.ResultColumn;
import io.glaux.coordinator.query.StatementResult;
import io.glaux.engine.expr.FunctionRegistry;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code SHOW FUNCTIONS}, {@code SHOW STATS FOR} and {@code SHOW CREATE SCHEMA}, with Trino's
 * result columns. The function list comes from the engine's registry (scalar functions) and the
 * engine's aggregate and window functions, so it lists what queries can call.
 */
public final class MetadataStatements
{
    /** Hive's name for a NULL partition value. */
    private static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    /** Functions whose result is not a function of their arguments alone. */
    private static final Set<String> NONDETERMINISTIC = Set.of("rand", "random", "uuid", "now", "current_date", "current_time",
            "current_timestamp", "localtime", "localtimestamp", "shuffle");

    /** The engine's aggregate functions: name, argument types, return type, description. */
    private static final List<String[]> AGGREGATES = List.of(
            new String[] {"any_value", "any", "same as the argument", "Same as `arbitrary`."},
            new String[] {"approx_distinct", "any", "bigint", "Approximate number of distinct non-null values (HyperLogLog, standard error 2.3%)."},
            new String[] {"approx_most_frequent", "bigint, comparable, bigint", "map(T, bigint)", "The counts of the (at most) `buckets` most frequent non-null values (exact counts)."},
            new String[] {"approx_percentile", "number, double", "same as the first argument", "Approximate percentile of the values (KLL sketch)."},
            new String[] {"approx_percentile", "number, bigint, double", "same as the first argument", "Approximate weighted percentile of the values."},
            new String[] {"arbitrary", "any", "same as the argument", "An arbitrary non-null value of the group."},
            new String[] {"avg", "number", "double (decimal, real: same as the argument)", "Average of the non-null values."},
            new String[] {"bool_and", "boolean", "boolean", "TRUE when every non-null value is TRUE."},
            new String[] {"bool_or", "boolean", "boolean", "TRUE when any non-null value is TRUE."},
            new String[] {"corr", "double, double", "double", "Correlation coefficient of the non-null pairs (y, x)."},
            new String[] {"count", "", "bigint", "Number of rows."},
            new String[] {"count", "any", "bigint", "Number of non-null values."},
            new String[] {"count_if", "boolean", "bigint", "Number of TRUE values."},
            new String[] {"covar_pop", "double, double", "double", "Population covariance of the non-null pairs (y, x)."},
            new String[] {"covar_samp", "double, double", "double", "Sample covariance of the non-null pairs (y, x)."},
            new String[] {"every", "boolean", "boolean", "Same as `bool_and`."},
            new String[] {"geometric_mean", "double", "double", "Geometric mean of the non-null values."},
            new String[] {"histogram", "comparable", "map(T, bigint)", "The number of times each non-null value occurs."},
            new String[] {"kurtosis", "double", "double", "Excess kurtosis of the non-null values (sample-corrected)."},
            new String[] {"map_agg", "comparable, any", "map", "A map of the non-null keys to their values (one value per key)."},
            new String[] {"max", "comparable", "same as the argument", "Largest non-null value."},
            new String[] {"max", "comparable, bigint", "array of the argument", "The n largest non-null values, largest first."},
            new String[] {"max_by", "any, comparable", "same as the first argument", "The first argument of the row with the largest second argument."},
            new String[] {"max_by", "any, comparable, bigint", "array of the first argument", "The first arguments of the n rows with the largest second arguments."},
            new String[] {"min", "comparable", "same as the argument", "Smallest non-null value."},
            new String[] {"min", "comparable, bigint", "array of the argument", "The n smallest non-null values, smallest first."},
            new String[] {"min_by", "any, comparable", "same as the first argument", "The first argument of the row with the smallest second argument."},
            new String[] {"min_by", "any, comparable, bigint", "array of the first argument", "The first arguments of the n rows with the smallest second arguments."},
            new String[] {"multimap_agg", "comparable, any", "map of arrays", "A map of the non-null keys to the arrays of their values."},
            new String[] {"regr_intercept", "double, double", "double", "Intercept of the least-squares line of the non-null pairs (y, x)."},
            new String[] {"regr_slope", "double, double", "double", "Slope of the least-squares line of the non-null pairs (y, x)."},
            new String[] {"set_agg", "comparable", "array of the argument", "The distinct non-null values."},
            new String[] {"skewness", "double", "double", "Fisher's moment coefficient of skewness of the non-null values."},
            new String[] {"stddev", "number", "double", "Sample standard deviation."},
            new String[] {"stddev_pop", "number", "double", "Population standard deviation."},
            new String[] {"stddev_samp", "number", "double", "Sample standard deviation."},
            new String[] {"sum", "number", "bigint, double or decimal(38, s)", "Sum of the non-null values."},
            new String[] {"var_pop", "number", "double", "Population variance."},
            new String[] {"var_samp", "number", "double", "Sample variance."},
            new String[] {"variance", "number", "double", "Sample variance."});

    /** The engine's window functions (aggregates are window functions too, with OVER). */
    private static final List<String[]> WINDOWS = List.of(
            new String[] {"cume_dist", "", "double", "Fraction of the partition's rows up to and including the current row's peers."},
            new String[] {"dense_rank", "", "bigint", "Rank of the row without gaps."},
            new String[] {"first_value", "any", "same as the argument", "The value at the first row of the frame."},
            new String[] {"lag", "any, bigint, any", "same as the first argument", "The value `offset` rows before the current row, or the default."},
            new String[] {"last_value", "any", "same as the argument", "The value at the last row of the frame."},
            new String[] {"lead", "any, bigint, any", "same as the first argument", "The value `offset` rows after the current row, or the default."},
            new String[] {"nth_value", "any, bigint", "same as the first argument", "The value at the n-th row of the frame."},
            new String[] {"ntile", "bigint", "bigint", "Bucket number of the row, 1 to n."},
            new String[] {"percent_rank", "", "double", "(rank - 1) / (rows in the partition - 1)."},
            new String[] {"rank", "", "bigint", "Rank of the row with gaps."},
            new String[] {"row_number", "", "bigint", "Number of the row in its partition, from 1."});

    private final Catalog catalog;
    private final String catalogName;
    private final RelDataType varchar;
    private final RelDataType bool;
    private final RelDataType doubleType;

    MetadataStatements(Catalog catalog, String catalogName, RelDataTypeFactory typeFactory)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.varchar = typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.VARCHAR, Integer.MAX_VALUE), true);
        this.bool = typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.BOOLEAN), true);
        this.doubleType = typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.DOUBLE), true);
    }

    /** Trino's columns: Function, Return Type, Argument Types, Function Type, Deterministic, Description; by name. */
    StatementResult showFunctions(Optional<String> like)
    {
        Optional<Pattern> pattern = like.map(MetadataStatements::likePattern);
        List<Object[]> rows = new ArrayList<>();
        for (FunctionRegistry.FunctionInfo function : FunctionRegistry.functions()) {
            rows.add(new Object[] {function.name(), function.returns(), function.arguments(), "scalar", !NONDETERMINISTIC.contains(function.name()),
                    function.description()});
        }
        for (String[] aggregate : AGGREGATES) {
            rows.add(new Object[] {aggregate[0], aggregate[2], aggregate[1], "aggregate", true, aggregate[3]});
        }
        for (String[] window : WINDOWS) {
            rows.add(new Object[] {window[0], window[2], window[1], "window", true, window[3]});
        }
        List<Object[]> selected = new ArrayList<>(rows.stream()
                .filter(row -> pattern.isEmpty() || pattern.get().matcher((String) row[0]).matches())
                .toList());
        selected.sort(Comparator.comparing((Object[] row) -> (String) row[0]).thenComparing(row -> (String) row[3]).thenComparing(row -> (String) row[2]));
        return StatementResult.of(List.of(
                new ResultColumn("Function", varchar),
                new ResultColumn("Return Type", varchar),
                new ResultColumn("Argument Types", varchar),
                new ResultColumn("Function Type", varchar),
                new ResultColumn("Deterministic", bool),
                new ResultColumn("Description", varchar)), selected);
    }

    /** SQL LIKE ({@code %}, {@code _}, no escape) of SHOW ... LIKE as a regular expression. */
    public static Pattern likePattern(String like)
    {
        StringBuilder regex = new StringBuilder();
        for (char c : like.toCharArray()) {
            regex.append(switch (c) {
                case '%' -> ".*";
                case '_' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /**
     * Trino's columns: column_name, data_size, distinct_values_count, nulls_fraction, row_count,
     * low_value, high_value; one row per column and a last row (column_name NULL) with the row count.
     * The metastore's table statistics ({@code numRows}, {@code totalSize}), its column statistics
     * (distinct values, nulls, and the range of numbers and dates) and the partition values are what Glaux
     * knows; the rest is NULL, as in Trino for a table without statistics.
     */
    StatementResult showStats(Table table)
    {
        Optional<Double> rowCount = statistic(table, "numRows");
        List<String> partitionNames = table.isPartitioned() ? catalog.listPartitionNames(table.schemaName(), table.tableName()) : List.of();
        Map<String, io.glaux.catalog.model.ColumnStatistics> columnStatistics = catalog.getColumnStatistics(table.schemaName(), table.tableName(),
                table.dataColumns().stream().map(Column::name).toList());
        List<Object[]> rows = new ArrayList<>();
        for (Column column : table.dataColumns()) {
            io.glaux.catalog.model.ColumnStatistics known = columnStatistics.getOrDefault(column.name(), io.glaux.catalog.model.ColumnStatistics.EMPTY);
            Double distinct = known.distinctValues().isPresent() ? (double) known.distinctValues().getAsLong() : null;
            Double nullsFraction = known.nulls().isPresent() && rowCount.filter(count -> count > 0).isPresent()
                    ? Math.min(1, known.nulls().getAsLong() / rowCount.get()) : null;
            rows.add(new Object[] {column.name(), null, distinct, nullsFraction, null, bound(column, known.min()), bound(column, known.max())});
        }
        List<Column> partitionColumns = table.partitionColumns();
        for (int i = 0; i < partitionColumns.size(); i++) {
            Set<String> distinct = new HashSet<>();
            long nulls = 0;
            String low = null;
            String high = null;
            for (String name : partitionNames) {
                String value = partitionValue(name, i);
                if (value == null || value.equals(DEFAULT_PARTITION)) {
                    nulls++;
                    continue;
                }
                distinct.add(value);
                low = low == null || compare(value, low) < 0 ? value : low;
                high = high == null || compare(value, high) > 0 ? value : high;
            }
            Double nullsFraction = partitionNames.isEmpty() ? null : (double) nulls / partitionNames.size();
            boolean ordered = isNumeric(partitionColumns.get(i)) || partitionColumns.get(i).type().trinoName().equals("date");
            rows.add(new Object[] {partitionColumns.get(i).name(), null, partitionNames.isEmpty() ? null : (double) distinct.size(), nullsFraction, null,
                    ordered ? low : null, ordered ? high : null});
        }
        rows.add(new Object[] {null, null, null, null, rowCount.orElse(null), null, null});
        return StatementResult.of(List.of(
                new ResultColumn("column_name", varchar),
                new ResultColumn("data_size", doubleType),
                new ResultColumn("distinct_values_count", doubleType),
                new ResultColumn("nulls_fraction", doubleType),
                new ResultColumn("row_count", doubleType),
                new ResultColumn("low_value", varchar),
                new ResultColumn("high_value", varchar)), rows);
    }

    /** A column statistic's min or max as SHOW STATS writes it: an integer, a date or a decimal as such, a double as Java writes it. */
    private static String bound(Column column, java.util.OptionalDouble value)
    {
        if (value.isEmpty()) {
            return null;
        }
        if (isNumeric(column)) {
            return Long.toString((long) value.getAsDouble());
        }
        if (column.type().trinoName().equals("date")) {
            return java.time.LocalDate.ofEpochDay((long) value.getAsDouble()).toString();
        }
        if (column.type() instanceof io.glaux.spi.type.Type.Decimal decimal) {
            return java.math.BigDecimal.valueOf(value.getAsDouble()).setScale(decimal.scale(), java.math.RoundingMode.HALF_UP).toPlainString();
        }
        return Double.toString(value.getAsDouble());
    }

    private static boolean isNumeric(Column column)
    {
        return switch (column.type().trinoName()) {
            case "tinyint", "smallint", "integer", "bigint" -> true;
            default -> false;
        };
    }

    private static int compare(String left, String right)
    {
        try {
            return Long.compare(Long.parseLong(left), Long.parseLong(right));
        }
        catch (NumberFormatException e) {
            return left.compareTo(right);
        }
    }

    /** Value {@code index} of a partition name {@code k1=v1/k2=v2}, unescaped. */
    private static String partitionValue(String name, int index)
    {
        String[] parts = name.split("/");
        if (index >= parts.length) {
            return null;
        }
        int equals = parts[index].indexOf('=');
        String value = equals < 0 ? parts[index] : parts[index].substring(equals + 1);
        return java.net.URLDecoder.decode(value.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Optional<Double> statistic(Table table, String key)
    {
        String value = table.parameters().get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            double number = Double.parseDouble(value);
            // Hive writes -1 for "unknown"
            return number < 0 ? Optional.empty() : Optional.of(number);
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A statement that creates the schema again: Glaux's (Hive's) CREATE SCHEMA, with the catalog. */
    StatementResult showCreateSchema(Database database)
    {
        StringBuilder sql = new StringBuilder("CREATE SCHEMA ").append(catalogName).append('.').append(quoteName(database.name()));
        database.comment().ifPresent(comment -> sql.append("\nCOMMENT ").append(quoteHiveString(comment)));
        database.location().ifPresent(location -> sql.append("\nLOCATION ").append(quoteHiveString(location)));
        Map<String, String> properties = new HashMap<>(database.parameters());
        if (!properties.isEmpty()) {
            List<String> lines = new ArrayList<>();
            new TreeMap<>(properties).forEach((key, value) -> lines.add("  " + quoteHiveString(key) + "=" + quoteHiveString(value)));
            sql.append("\nWITH DBPROPERTIES (\n").append(String.join(",\n", lines)).append(")");
        }
        return StatementResult.of(List.of(new ResultColumn("Create Schema", varchar)), List.<Object[]>of(new Object[] {sql.toString()}));
    }

    private static String quoteName(String name)
    {
        return name.matches("[a-z_][a-z0-9_]*") ? name : "`" + name.replace("`", "``") + "`";
    }
}
