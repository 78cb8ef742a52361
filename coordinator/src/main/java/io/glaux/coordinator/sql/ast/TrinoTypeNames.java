package io.glaux.coordinator.sql.ast;

import io.glaux.coordinator.planner.TrinoSqlType;
import io.glaux.spi.type.Type;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.SqlUserDefinedTypeNameSpec;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.util.Litmus;

import java.util.Locale;

/**
 * Trino's type names Calcite's grammar lacks — {@code ipaddress}, {@code ipprefix}, {@code json} — in
 * CAST and as literals: {@code IPADDRESS '10.0.0.1'} is {@code CAST('10.0.0.1' AS ipaddress)},
 * {@code IPPREFIX '10.0.0.0/8'} likewise, and {@code JSON '[1, 2]'} is {@code json_parse('[1, 2]')}, as
 * in Trino.
 */
public final class TrinoTypeNames
{
    private TrinoTypeNames() {}

    public static boolean isName(String word)
    {
        return TrinoSqlType.named(word).isPresent();
    }

    /** The type named {@code word}: one of these, or a user-defined type name as Calcite reads it. */
    public static SqlTypeNameSpec spec(String word, SqlParserPos pos)
    {
        return isName(word) ? new Spec(word.toLowerCase(Locale.ROOT), pos) : new SqlUserDefinedTypeNameSpec(word, pos);
    }

    /** {@code word 'text'}: a literal of one of these types. */
    public static SqlNode literal(String word, String text, SqlParserPos pos)
    {
        String name = word.toLowerCase(Locale.ROOT);
        if (name.equals("json")) {
            SqlUnresolvedFunction parse = new SqlUnresolvedFunction(new SqlIdentifier("JSON_PARSE", pos), null, null, null, null,
                    SqlFunctionCategory.USER_DEFINED_FUNCTION);
            return parse.createCall(pos, SqlLiteral.createCharString(text, pos));
        }
        return SqlStdOperatorTable.CAST.createCall(pos, SqlLiteral.createCharString(text, pos), new SqlDataTypeSpec(new Spec(name, pos), pos));
    }

    /** One of Trino's types by name. */
    private static final class Spec
            extends SqlTypeNameSpec
    {
        private final String name;

        Spec(String name, SqlParserPos pos)
        {
            super(new SqlIdentifier(name.toUpperCase(Locale.ROOT), pos), pos);
            this.name = name;
        }

        @Override
        public RelDataType deriveType(SqlValidator validator)
        {
            Type type = TrinoSqlType.named(name).orElseThrow();
            return TrinoSqlType.of(validator.getTypeFactory(), type);
        }

        @Override
        public void unparse(SqlWriter writer, int leftPrec, int rightPrec)
        {
            writer.keyword(name.toUpperCase(Locale.ROOT));
        }

        @Override
        public boolean equalsDeep(SqlTypeNameSpec spec, Litmus litmus)
        {
            if (!(spec instanceof Spec other) || !other.name.equals(name)) {
                return litmus.fail("{} != {}", this, spec);
            }
            return litmus.succeed();
        }
    }
}
