package io.glaux.coordinator.planner;

import io.glaux.coordinator.protocol.Version;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.Locale;

/**
 * Trino's session functions as constants of the query: {@code current_user}, {@code current_catalog},
 * {@code current_schema} and {@code version()} become varchar literals before validation, so that
 * the engine runs them like any constant (Calcite's own implementations answer '' for the catalog).
 * {@code current_timestamp}, {@code localtimestamp} and {@code now()} become the query's start as a
 * {@code timestamp(3)} literal (the wall-clock time in the session's zone: Glaux has no
 * {@code timestamp with time zone} yet), and {@code current_date} that time's date: one value for the
 * whole query, as in Trino.
 */
final class SessionFunctions
{
    private SessionFunctions() {}

    static SqlNode inline(SqlNode query, String catalog, String schema, String user)
    {
        return inline(query, catalog, schema, user, java.time.ZoneOffset.UTC, java.time.Instant.now());
    }

    static SqlNode inline(SqlNode query, String catalog, String schema, String user, java.time.ZoneId zone, java.time.Instant start)
    {
        java.time.LocalDateTime wallClock = java.time.LocalDateTime.ofInstant(start, zone).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        SqlNode result = query.accept(new SqlShuttle()
        {
            @Override
            public SqlNode visit(SqlIdentifier identifier)
            {
                // current_user, current_catalog and current_schema are written without parentheses (reserved words in Trino)
                if (identifier.isSimple() && !identifier.isComponentQuoted(0)) {
                    String value = switch (identifier.getSimple().toLowerCase(Locale.ROOT)) {
                        case "current_user" -> user;
                        case "current_catalog" -> catalog;
                        case "current_schema" -> schema;
                        default -> null;
                    };
                    if (value != null) {
                        return literal(value, identifier.getParserPosition());
                    }
                    SqlNode time = time(identifier.getSimple().toLowerCase(Locale.ROOT), wallClock, identifier.getParserPosition());
                    if (time != null) {
                        return time;
                    }
                }
                return identifier;
            }

            @Override
            public SqlNode visit(SqlCall call)
            {
                String value = value(call, catalog, schema, user);
                if (value != null) {
                    return literal(value, call.getParserPosition());
                }
                if (call.getOperator() == SqlStdOperatorTable.CURRENT_TIMESTAMP || call.getOperator() == SqlStdOperatorTable.LOCALTIMESTAMP
                        || call.getOperator() == SqlStdOperatorTable.CURRENT_DATE
                        || call.getKind() == SqlKind.OTHER_FUNCTION && call.operandCount() == 0 && call.getOperator().getName().equalsIgnoreCase("now")) {
                    String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
                    return time(name, wallClock, call.getParserPosition());
                }
                return super.visit(call);
            }
        });
        return result == null ? query : result;
    }

    /** {@code current_timestamp}, {@code localtimestamp}, {@code now} and {@code current_date} at {@code wallClock}; null for another name. */
    private static SqlNode time(String name, java.time.LocalDateTime wallClock, SqlParserPos pos)
    {
        return switch (name) {
            case "current_timestamp", "localtimestamp", "now" -> SqlLiteral.createTimestamp(SqlTypeName.TIMESTAMP,
                    new org.apache.calcite.util.TimestampString(wallClock.getYear(), wallClock.getMonthValue(), wallClock.getDayOfMonth(),
                            wallClock.getHour(), wallClock.getMinute(), wallClock.getSecond()).withMillis(wallClock.getNano() / 1_000_000), 3, pos);
            case "current_date" -> SqlLiteral.createDate(new org.apache.calcite.util.DateString(wallClock.getYear(), wallClock.getMonthValue(), wallClock.getDayOfMonth()), pos);
            default -> null;
        };
    }

    private static SqlNode literal(String value, SqlParserPos pos)
    {
        SqlDataTypeSpec varchar = new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, pos), pos);
        return SqlStdOperatorTable.CAST.createCall(pos, SqlLiteral.createCharString(value, pos), varchar);
    }

    private static String value(SqlCall call, String catalog, String schema, String user)
    {
        if (call.getOperator() == SqlStdOperatorTable.CURRENT_USER) {
            return user;
        }
        if (call.getOperator() == SqlStdOperatorTable.CURRENT_CATALOG) {
            return catalog;
        }
        if (call.getOperator() == SqlStdOperatorTable.CURRENT_SCHEMA) {
            return schema;
        }
        if (call.getKind() == SqlKind.OTHER_FUNCTION && call.operandCount() == 0
                && call.getOperator().getName().toLowerCase(Locale.ROOT).equals("version")) {
            return Version.VERSION;
        }
        return null;
    }
}
