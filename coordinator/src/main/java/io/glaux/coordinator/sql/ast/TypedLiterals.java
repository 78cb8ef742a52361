package io.glaux.coordinator.sql.ast;

import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.Locale;

/**
 * Trino's literals of the form {@code type 'text'} that Calcite's grammar lacks ({@code BIGINT '5'},
 * {@code DOUBLE '1.5'}, {@code DECIMAL '1.25'}, ...), as the Trino JDBC driver writes prepared-statement
 * parameters: each becomes {@code CAST('text' AS type)}, of exactly the type Trino gives the literal
 * ({@code DECIMAL '1.25'} is {@code decimal(3,2)}).
 */
public final class TypedLiterals
{
    private TypedLiterals() {}

    public static SqlNode of(String typeWord, String text, SqlParserPos pos)
    {
        String type = typeWord.toUpperCase(Locale.ROOT);
        if (type.equals("VARCHAR")) {
            return SqlLiteral.createCharString(text, pos);
        }
        SqlBasicTypeNameSpec spec = switch (type) {
            case "TINYINT" -> new SqlBasicTypeNameSpec(SqlTypeName.TINYINT, pos);
            case "SMALLINT" -> new SqlBasicTypeNameSpec(SqlTypeName.SMALLINT, pos);
            case "INTEGER", "INT" -> new SqlBasicTypeNameSpec(SqlTypeName.INTEGER, pos);
            case "BIGINT" -> new SqlBasicTypeNameSpec(SqlTypeName.BIGINT, pos);
            case "REAL" -> new SqlBasicTypeNameSpec(SqlTypeName.REAL, pos);
            case "DOUBLE" -> new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, pos);
            case "DECIMAL" -> decimal(text, pos);
            case "CHAR" -> new SqlBasicTypeNameSpec(SqlTypeName.CHAR, Math.max(1, text.length()), pos);
            case "VARBINARY" -> new SqlBasicTypeNameSpec(SqlTypeName.VARBINARY, pos);
            default -> throw new IllegalArgumentException("No typed literal for " + typeWord);
        };
        return SqlStdOperatorTable.CAST.createCall(pos, SqlLiteral.createCharString(text.strip(), pos), new SqlDataTypeSpec(spec, pos));
    }

    /** {@code decimal(p, s)} of the digits written: {@code '-12.50'} is {@code decimal(4, 2)}. */
    private static SqlBasicTypeNameSpec decimal(String text, SqlParserPos pos)
    {
        String digits = text.strip();
        if (digits.startsWith("+") || digits.startsWith("-")) {
            digits = digits.substring(1);
        }
        int dot = digits.indexOf('.');
        int scale = dot < 0 ? 0 : digits.length() - dot - 1;
        int integerDigits = (dot < 0 ? digits : digits.substring(0, dot)).replaceFirst("^0+", "").length();
        int precision = Math.max(1, Math.min(38, integerDigits + scale));
        return new SqlBasicTypeNameSpec(SqlTypeName.DECIMAL, precision, Math.min(scale, precision), pos);
    }
}
