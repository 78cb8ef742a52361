package io.glaux.coordinator.statement;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.ddl.MetadataStatements;
import io.glaux.coordinator.planner.QueryPlanner;
import io.glaux.coordinator.planner.TypeMapping;
import io.glaux.coordinator.query.Query;
import io.glaux.coordinator.query.ResultColumn;
import io.glaux.coordinator.query.Session;
import io.glaux.coordinator.query.SessionChanges;
import io.glaux.coordinator.query.SessionProperties;
import io.glaux.coordinator.query.StatementResult;
import io.glaux.coordinator.sql.ast.SqlGlauxStatement;
import io.glaux.coordinator.sql.ast.Statement;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runs the client statements ({@link Statement.ClientStatement}): {@code SET|RESET|SHOW SESSION} and
 * prepared statements. Nothing is kept on the coordinator: the client holds its session properties and
 * prepared statements and sends them with every request (the Trino protocol's {@code X-Trino-Session}
 * and {@code X-Trino-Prepared-Statement}); these statements read them from the {@link Session} and
 * answer with {@link SessionChanges}. {@code EXECUTE} binds its parameters into the prepared statement
 * as literals, so they are typed as Trino types them, and runs the result like any statement.
 */
final class ClientStatements
{
    /** Runs a parsed statement for the query ({@code sql} is its text, for error positions). */
    @FunctionalInterface
    interface Runner
    {
        StatementResult run(Query query, SqlNode parsed, String sql);
    }

    private final QueryPlanner planner;
    private final java.util.function.BiConsumer<String, List<String>> relationCheck;
    private final RelDataType varchar;
    private final RelDataType bigint;
    private final RelDataType bool;
    private final Map<String, String> configuredDefaults;

    /**
     * @param relationCheck checks that a user may read a table or view a described query names (throws ACCESS_DENIED)
     * @param configuredDefaults the defaults this coordinator's configuration gives properties (shown by SHOW SESSION
     *        in place of the built-in ones), by property name
     */
    ClientStatements(QueryPlanner planner, java.util.function.BiConsumer<String, List<String>> relationCheck, Map<String, String> configuredDefaults)
    {
        this.configuredDefaults = Map.copyOf(requireNonNull(configuredDefaults, "configuredDefaults is null"));
        this.planner = requireNonNull(planner, "planner is null");
        this.relationCheck = requireNonNull(relationCheck, "relationCheck is null");
        RelDataTypeFactory types = planner.typeFactory();
        this.varchar = types.createTypeWithNullability(types.createSqlType(SqlTypeName.VARCHAR, Integer.MAX_VALUE), true);
        this.bigint = types.createTypeWithNullability(types.createSqlType(SqlTypeName.BIGINT), true);
        this.bool = types.createTypeWithNullability(types.createSqlType(SqlTypeName.BOOLEAN), true);
    }

    StatementResult execute(Statement.ClientStatement statement, Query query, String sql, Runner runner)
    {
        Session session = query.session();
        return switch (statement) {
            case Statement.SetSession set -> setSession(set);
            case Statement.ResetSession reset -> {
                String name = property(reset.name()).name();
                yield StatementResult.sessionChange("RESET SESSION", SessionChanges.resetProperty(name));
            }
            case Statement.ShowSession show -> showSession(show, session);
            case Statement.Prepare prepare -> prepare(prepare, sql);
            case Statement.Execute execute -> execute(query, prepared(session, execute.name()), execute.parameters(), execute.pos(), runner);
            case Statement.ExecuteImmediate immediate -> execute(query, immediate.statement().value(), immediate.parameters(), immediate.pos(), runner);
            case Statement.Deallocate deallocate -> {
                prepared(session, deallocate.name());
                yield StatementResult.sessionChange("DEALLOCATE", SessionChanges.deallocatePrepared(preparedName(session, deallocate.name())));
            }
            case Statement.DescribeInput describe -> describeInput(session, prepared(session, describe.name()));
            case Statement.DescribeOutput describe -> describeOutput(session, prepared(session, describe.name()));
        };
    }

    // --- sessions

    private StatementResult setSession(Statement.SetSession set)
    {
        SessionProperties.Property property = property(set.name());
        if (!(set.value() instanceof SqlLiteral literal) || literal.getValue() == null) {
            throw error(ErrorCode.NOT_SUPPORTED, set.value().getParserPosition(),
                    "SET SESSION %s takes a literal value, e.g. '%s'".formatted(property.name(), property.defaultValue()));
        }
        String text = literal.getTypeName().getFamily() == org.apache.calcite.sql.type.SqlTypeFamily.CHARACTER
                ? literal.getValueAs(String.class)
                : literal.toValue();
        String value;
        try {
            value = SessionProperties.canonicalValue(property.name(), text);
        }
        catch (GlauxException e) {
            throw error(e.errorCode(), set.value().getParserPosition(), e.rawMessage());
        }
        return StatementResult.sessionChange("SET SESSION", SessionChanges.setProperty(property.name(), value));
    }

    private StatementResult showSession(Statement.ShowSession show, Session session)
    {
        Optional<Pattern> like = show.like().map(MetadataStatements::likePattern);
        List<Object[]> rows = new ArrayList<>();
        for (SessionProperties.Property property : SessionProperties.all()) {
            if (like.isPresent() && !like.get().matcher(property.name()).matches()) {
                continue;
            }
            String defaultValue = property.name().equals(SessionProperties.TIME_ZONE)
                    ? session.timeZone().getId()
                    : configuredDefaults.getOrDefault(property.name(), property.defaultValue());
            String value = session.property(property.name()).map(text -> {
                try {
                    return SessionProperties.canonicalValue(property.name(), text);
                }
                catch (GlauxException e) {
                    return text;
                }
            }).orElse(defaultValue);
            rows.add(new Object[] {property.name(), value, defaultValue, property.type(), property.description()});
        }
        return StatementResult.of(columns(List.of("Name", "Value", "Default", "Type", "Description"), List.of(varchar, varchar, varchar, varchar, varchar)), rows);
    }

    private static SessionProperties.Property property(Statement.Name name)
    {
        try {
            return SessionProperties.property(name.toString());
        }
        catch (GlauxException e) {
            throw error(e.errorCode(), name.pos(), e.rawMessage());
        }
    }

    // --- prepared statements

    private StatementResult prepare(Statement.Prepare prepare, String sql)
    {
        String text = sql.substring(org.apache.calcite.sql.parser.SqlParserUtil.lineColToIndex(sql,
                prepare.statementPos().getLineNum(), prepare.statementPos().getColumnNum())).strip();
        checkPreparable(QueryPlanner.parse(text), prepare.statementPos());
        return StatementResult.sessionChange("PREPARE", SessionChanges.addPrepared(prepare.name().value(), text));
    }

    /** A prepared statement cannot itself prepare, run or deallocate one. */
    private static void checkPreparable(SqlNode parsed, SqlParserPos pos)
    {
        if (parsed instanceof SqlGlauxStatement glaux && glaux.statement() instanceof Statement.ClientStatement client
                && !(client instanceof Statement.SetSession || client instanceof Statement.ResetSession || client instanceof Statement.ShowSession)) {
            String kind = switch (client) {
                case Statement.Prepare ignored -> "PREPARE";
                case Statement.Execute ignored -> "EXECUTE";
                case Statement.ExecuteImmediate ignored -> "EXECUTE IMMEDIATE";
                case Statement.Deallocate ignored -> "DEALLOCATE";
                default -> "DESCRIBE";
            };
            throw error(ErrorCode.NOT_SUPPORTED, pos, "Invalid statement type for prepared statement: " + kind);
        }
    }

    private static String preparedName(Session session, Statement.Located<String> name)
    {
        if (session.preparedStatements().containsKey(name.value())) {
            return name.value();
        }
        for (String candidate : session.preparedStatements().keySet()) {
            if (candidate.equalsIgnoreCase(name.value())) {
                return candidate;
            }
        }
        throw error(ErrorCode.NOT_FOUND, name.pos(), "Prepared statement not found: " + name.value());
    }

    private static String prepared(Session session, Statement.Located<String> name)
    {
        return session.preparedStatements().get(preparedName(session, name));
    }

    private StatementResult execute(Query query, String text, List<SqlNode> values, SqlParserPos pos, Runner runner)
    {
        String sql = stripTrailingSemicolon(text);
        SqlNode parsed = QueryPlanner.parse(sql);
        checkPreparable(parsed, pos);
        int expected = parameterCount(parsed);
        if (expected != values.size()) {
            throw error(ErrorCode.INVALID_PARAMETER_USAGE, pos, "Incorrect number of parameters: expected %d but found %d".formatted(expected, values.size()));
        }
        return runner.run(query, expected == 0 ? parsed : bind(parsed, values), sql);
    }

    /** How many {@code ?} the statement has. */
    static int parameterCount(SqlNode parsed)
    {
        if (parsed instanceof SqlGlauxStatement glaux) {
            return glaux.statement() instanceof Statement.Explain explain ? parameterCount(explain.query()) : 0;
        }
        int[] count = {0};
        parsed.accept(new SqlBasicVisitor<Void>()
        {
            @Override
            public Void visit(SqlDynamicParam param)
            {
                count[0]++;
                return null;
            }
        });
        return count[0];
    }

    /** The statement with its {@code ?} replaced, in order, by {@code values}. */
    static SqlNode bind(SqlNode parsed, List<SqlNode> values)
    {
        if (parsed instanceof SqlGlauxStatement glaux && glaux.statement() instanceof Statement.Explain explain) {
            return new SqlGlauxStatement(new Statement.Explain(explain.pos(), bind(explain.query(), values), explain.analyze(), explain.options()));
        }
        return parsed.accept(new SqlShuttle()
        {
            @Override
            public SqlNode visit(SqlDynamicParam param)
            {
                SqlNode value = values.get(param.getIndex());
                return value.clone(value.getParserPosition());
            }

            @Override
            public SqlNode visit(SqlCall call)
            {
                if (call instanceof SqlOrderBy orderBy && (orderBy.offset instanceof SqlDynamicParam || orderBy.fetch instanceof SqlDynamicParam)) {
                    // OFFSET ? and LIMIT ? take a number, not an expression: BIGINT '10' binds as 10
                    return new SqlOrderBy(orderBy.getParserPosition(), orderBy.query.accept(this), (SqlNodeList) orderBy.orderList.accept(this),
                            count(orderBy.offset), count(orderBy.fetch));
                }
                return super.visit(call);
            }

            private SqlNode count(SqlNode node)
            {
                if (!(node instanceof SqlDynamicParam param)) {
                    return node;
                }
                SqlNode value = values.get(param.getIndex());
                if (value instanceof SqlCall cast && cast.getKind() == SqlKind.CAST && cast.operand(0) instanceof SqlLiteral literal
                        && literal.getValue() != null && literal.toValue().strip().matches("\\d+")) {
                    return SqlLiteral.createExactNumeric(literal.toValue().strip(), value.getParserPosition());
                }
                return value.clone(value.getParserPosition());
            }
        });
    }

    private StatementResult describeInput(Session session, String text)
    {
        SqlNode parsed = QueryPlanner.parse(stripTrailingSemicolon(text));
        int count = parameterCount(parsed);
        List<RelDataType> types = List.of();
        SqlNode query = parsed instanceof SqlGlauxStatement glaux && glaux.statement() instanceof Statement.Explain explain ? explain.query() : parsed;
        if (count > 0 && query.isA(SqlKind.QUERY)) {
            try {
                types = planner.describe(query, session.catalog(), session.schema(), relation -> relationCheck.accept(session.user(), relation)).parameterTypes();
            }
            catch (GlauxException e) {
                // Calcite cannot type a parameter it has nothing to compare with: "unknown", as Trino says
            }
        }
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RelDataType type = i < types.size() ? types.get(i) : null;
            rows.add(new Object[] {(long) i, type == null ? "unknown" : TypeMapping.trinoName(type)});
        }
        return StatementResult.of(columns(List.of("Position", "Type"), List.of(bigint, varchar)), rows);
    }

    private StatementResult describeOutput(Session session, String text)
    {
        SqlNode parsed = QueryPlanner.parse(stripTrailingSemicolon(text));
        List<ResultColumn> columns = columns(List.of("Column Name", "Catalog", "Schema", "Table", "Type", "Type Size", "Aliased"),
                List.of(varchar, varchar, varchar, varchar, varchar, bigint, bool));
        if (!parsed.isA(SqlKind.QUERY)) {
            return StatementResult.of(columns, List.of());
        }
        List<Boolean> aliased = aliased(parsed);
        QueryPlanner.Description description = planner.describe(parsed, session.catalog(), session.schema(), relation -> relationCheck.accept(session.user(), relation));
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < description.names().size(); i++) {
            List<String> origin = description.origins().get(i);
            List<String> table = origin == null || origin.size() < 4 ? null : origin.subList(origin.size() - 4, origin.size() - 1);
            RelDataType type = description.types().get(i);
            rows.add(new Object[] {
                    description.names().get(i),
                    table == null ? "" : table.get(0),
                    table == null ? "" : table.get(1),
                    table == null ? "" : table.get(2),
                    TypeMapping.trinoName(type),
                    typeSize(type),
                    i < aliased.size() && aliased.get(i)});
        }
        return StatementResult.of(columns, rows);
    }

    /** Whether each item of a query's select list has an alias ({@code x AS y}); empty when it cannot tell. */
    private static List<Boolean> aliased(SqlNode query)
    {
        SqlNode node = query instanceof SqlOrderBy orderBy ? orderBy.query : query;
        if (!(node instanceof SqlSelect select)) {
            return List.of();
        }
        SqlNodeList items = select.getSelectList();
        List<Boolean> aliased = new ArrayList<>();
        for (SqlNode item : items) {
            if (item instanceof SqlCall call && call.getKind() == SqlKind.AS) {
                aliased.add(true);
            }
            else if (item.toString().endsWith("*")) {
                return List.of();
            }
            else {
                aliased.add(false);
            }
        }
        return aliased;
    }

    /** Trino's "Type Size": bytes of a fixed-width type, the length of a character type. */
    private static long typeSize(RelDataType type)
    {
        return switch (type.getSqlTypeName()) {
            case BOOLEAN, TINYINT -> 1;
            case SMALLINT -> 2;
            case INTEGER, REAL, DATE -> 4;
            case BIGINT, DOUBLE, FLOAT, TIMESTAMP, TIME -> 8;
            case DECIMAL -> type.getPrecision() <= 18 ? 8 : 16;
            case VARCHAR, CHAR, VARBINARY, BINARY -> type.getPrecision() < 0 ? Integer.MAX_VALUE : type.getPrecision();
            default -> 0;
        };
    }

    // --- helpers

    private static List<ResultColumn> columns(List<String> names, List<RelDataType> types)
    {
        List<ResultColumn> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            columns.add(new ResultColumn(names.get(i), types.get(i)));
        }
        return columns;
    }

    private static GlauxException error(ErrorCode code, SqlParserPos pos, String message)
    {
        return new GlauxException(code, new ErrorLocation(Math.max(1, pos.getLineNum()), Math.max(1, pos.getColumnNum())), message, null);
    }

    static String stripTrailingSemicolon(String sql)
    {
        String trimmed = sql.strip();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        return trimmed;
    }
}
