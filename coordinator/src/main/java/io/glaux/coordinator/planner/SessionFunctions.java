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
 */
final class SessionFunctions
{
    private SessionFunctions() {}

    static SqlNode inline(SqlNode query, String catalog, String schema, String user)
    {
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
                return super.visit(call);
            }
        });
        return result == null ? query : result;
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
