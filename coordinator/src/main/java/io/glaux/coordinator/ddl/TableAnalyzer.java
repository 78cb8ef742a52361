package io.glaux.coordinator.ddl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.ColumnStatistics;
import io.glaux.catalog.model.Table;
import io.glaux.coordinator.query.ResultColumn;
import io.glaux.coordinator.query.ResultPage;
import io.glaux.coordinator.query.StatementResult;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.calcite.rel.type.RelDataType;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * {@code ANALYZE t}, as Trino's: one distributed query over the whole table computes its row count and,
 * per column, its distinct values ({@code approx_distinct}, Trino's estimate too), its nulls and, for
 * numbers and dates, its min and max; the metastore keeps them as Hive's table-level statistics
 * ({@code numRows}, column statistics), where Hive, Spark and Trino read them and where the planner
 * orders joins by them. Columns of other types (timestamps, booleans, binary, arrays, maps, rows) get
 * none. Answers the rows analyzed.
 */
final class TableAnalyzer
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Type> INTEGERS = List.of(Type.TINYINT, Type.SMALLINT, Type.INTEGER, Type.BIGINT);

    private final Catalog catalog;
    private final String catalogName;
    private final RelDataType bigint;

    TableAnalyzer(Catalog catalog, String catalogName, RelDataType bigint)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.bigint = requireNonNull(bigint, "bigint is null");
    }

    /** Analyzes {@code table}, running its query with {@code query}. */
    StatementResult analyze(Table table, Function<String, StatementResult> query)
    {
        List<Column> columns = table.dataColumns().stream().filter(column -> ranged(column.type()) || isString(column.type())).toList();
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (Column column : columns) {
            String name = identifier(column.name());
            sql.append(", approx_distinct(").append(name).append("), count(").append(name).append(')');
            if (ranged(column.type())) {
                sql.append(", min(").append(name).append("), max(").append(name).append(')');
            }
        }
        sql.append(" FROM ").append(identifier(catalogName)).append('.').append(identifier(table.schemaName())).append('.').append(identifier(table.tableName()));
        JsonNode row = singleRow(query.apply(sql.toString()));

        long rows = row.get(0).asLong();
        Map<String, ColumnStatistics> statistics = new HashMap<>();
        int field = 1;
        for (Column column : columns) {
            long distinct = row.get(field++).asLong();
            long nonNull = row.get(field++).asLong();
            OptionalDouble min = OptionalDouble.empty();
            OptionalDouble max = OptionalDouble.empty();
            if (ranged(column.type())) {
                min = number(column.type(), row.get(field++));
                max = number(column.type(), row.get(field++));
            }
            // the estimate may exceed the values there are
            statistics.put(column.name(), new ColumnStatistics(OptionalLong.of(Math.min(distinct, nonNull)), OptionalLong.of(rows - nonNull), min, max));
        }
        catalog.setColumnStatistics(table.schemaName(), table.tableName(), statistics);
        Map<String, String> parameters = new HashMap<>(table.parameters());
        parameters.put("numRows", Long.toString(rows));
        parameters.remove("EXTERNAL");
        catalog.alterTable(table.withParameters(parameters));
        List<Object[]> answer = new ArrayList<>();
        answer.add(new Object[] {rows});
        return new StatementResult(List.of(new ResultColumn("rows", bigint)), answer.iterator(), () -> { }, Optional.empty(), Optional.empty(), Optional.of("ANALYZE"));
    }

    /** The one row of an aggregation's result, read from its JSON pages; the result's resources released. */
    private static JsonNode singleRow(StatementResult result)
    {
        List<JsonNode> rows = new ArrayList<>();
        try {
            for (Iterator<?> pages = result.rows(); pages.hasNext(); ) {
                Object page = pages.next();
                JsonNode values = switch (page) {
                    case ResultPage.Json json -> JSON.readTree(json.json());
                    case ResultPage.Values list -> JSON.valueToTree(list.rows());
                    default -> throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Unexpected result page " + page.getClass().getSimpleName());
                };
                values.forEach(rows::add);
            }
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot read ANALYZE's query result: " + e.getMessage(), e);
        }
        finally {
            try {
                result.resources().close();
            }
            catch (Exception e) {
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot release ANALYZE's query: " + e.getMessage(), e);
            }
        }
        if (rows.size() != 1) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "ANALYZE's query returned " + rows.size() + " rows");
        }
        return rows.getFirst();
    }

    /** A min or max as the metastore keeps it: a date as its days since 1970-01-01, a number as its value; empty for NULL (no rows). */
    private static OptionalDouble number(Type type, JsonNode value)
    {
        if (value == null || value.isNull()) {
            return OptionalDouble.empty();
        }
        if (type.equals(Type.DATE)) {
            return OptionalDouble.of(LocalDate.parse(value.asText()).toEpochDay());
        }
        if (type.equals(Type.REAL) || type.equals(Type.DOUBLE)) {
            double number = value.isNumber() ? value.asDouble() : Double.parseDouble(value.asText());
            return Double.isFinite(number) ? OptionalDouble.of(number) : OptionalDouble.empty();
        }
        return OptionalDouble.of(new BigDecimal(value.asText()).doubleValue());
    }

    private static boolean ranged(Type type)
    {
        return INTEGERS.contains(type) || type.equals(Type.REAL) || type.equals(Type.DOUBLE) || type instanceof Type.Decimal || type.equals(Type.DATE);
    }

    private static boolean isString(Type type)
    {
        String hive = type.hiveName();
        return hive.equals("string") || hive.startsWith("varchar") || hive.startsWith("char");
    }

    private static String identifier(String name)
    {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
