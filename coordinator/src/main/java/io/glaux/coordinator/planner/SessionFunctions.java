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
 * {@code current_timestamp} and {@code now()} become the query's start as a
 * {@code timestamp(3) with time zone} in the session's zone, {@code localtimestamp} its wall-clock time
 * ({@code timestamp(3)}), {@code current_date} that time's date and {@code current_timezone()} the
 * zone's name: one value for the whole query, as in Trino. A timestamp literal with a zone
 * ({@code TIMESTAMP '2020-01-01 10:00:00 America/New_York'}, {@code ... +02:00}) becomes a CAST to
 * {@code timestamp(p) with time zone}, p the fractional digits written.
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
                    String name = identifier.getSimple().toLowerCase(Locale.ROOT);
                    SqlNode time = name.equals("current_timestamp") ? withTimeZone(wallClock, zone, identifier.getParserPosition())
                            : time(name, wallClock, identifier.getParserPosition());
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
                if (value == null && call.getKind() == SqlKind.OTHER_FUNCTION && call.operandCount() == 0
                        && call.getOperator().getName().equalsIgnoreCase("current_timezone")) {
                    value = zone.getId();
                }
                if (value != null) {
                    return literal(value, call.getParserPosition());
                }
                if (call.getOperator() == SqlStdOperatorTable.CURRENT_TIMESTAMP || call.getOperator() == SqlStdOperatorTable.LOCALTIMESTAMP
                        || call.getOperator() == SqlStdOperatorTable.CURRENT_DATE
                        || call.getOperator() == SqlStdOperatorTable.CURRENT_TIME || call.getOperator() == SqlStdOperatorTable.LOCALTIME
                        || call.getKind() == SqlKind.OTHER_FUNCTION && call.operandCount() == 0 && call.getOperator().getName().equalsIgnoreCase("now")) {
                    String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
                    return name.equals("localtimestamp") || name.equals("current_date") || name.equals("current_time") || name.equals("localtime")
                            ? time(name, wallClock, call.getParserPosition())
                            : withTimeZone(wallClock, zone, call.getParserPosition());
                }
                return super.visit(call);
            }

            @Override
            public SqlNode visit(SqlLiteral literal)
            {
                if (literal instanceof org.apache.calcite.sql.SqlUnknownLiteral unknown
                        && (unknown.tag.equalsIgnoreCase("TIMESTAMP") || unknown.tag.equalsIgnoreCase("TIMESTAMP WITH TIME ZONE"))) {
                    String text = unknown.getValue().strip();
                    if (unknown.tag.equalsIgnoreCase("TIMESTAMP WITH TIME ZONE") || hasZone(text)) {
                        return castWithTimeZone(text, fractionDigits(text), literal.getParserPosition());
                    }
                }
                return literal;
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
            // Trino's current_time is a time(3) with time zone; Glaux has no such type and gives the session's wall-clock time(3)
            case "current_time", "localtime" -> SqlLiteral.createTime(new org.apache.calcite.util.TimeString(wallClock.getHour(), wallClock.getMinute(),
                    wallClock.getSecond()).withMillis(wallClock.getNano() / 1_000_000), 3, pos);
            case "current_date" -> SqlLiteral.createDate(new org.apache.calcite.util.DateString(wallClock.getYear(), wallClock.getMonthValue(), wallClock.getDayOfMonth()), pos);
            default -> null;
        };
    }

    /** {@code current_timestamp}: CAST('wall clock zone' AS timestamp(3) with time zone). */
    private static SqlNode withTimeZone(java.time.LocalDateTime wallClock, java.time.ZoneId zone, SqlParserPos pos)
    {
        String text = wallClock.toLocalDate() + " " + java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS").format(wallClock) + " " + zone.getId();
        return castWithTimeZone(text, 3, pos);
    }

    private static SqlNode castWithTimeZone(String text, int precision, SqlParserPos pos)
    {
        SqlDataTypeSpec type = new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP_TZ, precision, pos), pos);
        return SqlStdOperatorTable.CAST.createCall(pos, SqlLiteral.createCharString(text, pos), type);
    }

    /** Whether timestamp text ends in a zone: letters or an offset after the time ({@code 10:00:00+02:00}, {@code 10:00 UTC}). */
    static boolean hasZone(String text)
    {
        int time = text.indexOf(':');
        if (time < 0) {
            // a date and a zone: 2020-01-01 UTC
            int space = text.indexOf(' ');
            return space > 0 && text.substring(space + 1).strip().chars().anyMatch(Character::isLetter);
        }
        String rest = text.substring(time);
        return rest.chars().anyMatch(c -> Character.isLetter(c)) || rest.indexOf('+') >= 0 || rest.indexOf('-') >= 0;
    }

    /** The fractional second digits written in timestamp text (at most 3). */
    static int fractionDigits(String text)
    {
        int time = text.indexOf(':');
        int dot = time < 0 ? -1 : text.indexOf('.', time);
        if (dot < 0) {
            return 0;
        }
        int digits = 0;
        while (dot + 1 + digits < text.length() && Character.isDigit(text.charAt(dot + 1 + digits))) {
            digits++;
        }
        return Math.min(digits, 3);
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
