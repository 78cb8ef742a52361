package io.glaux.coordinator.sql.ast;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;

/**
 * The parse tree node of a Glaux statement ({@link Statement}): the grammar productions build the
 * statement record, this node carries it out of Calcite's parser. Never validated or converted to
 * relational algebra; the statement runner hands it to the DDL executor.
 */
public final class SqlGlauxStatement
        extends SqlCall
{
    private static final SqlOperator OPERATOR = new SqlSpecialOperator("GLAUX STATEMENT", SqlKind.OTHER_DDL);

    private final Statement statement;

    public SqlGlauxStatement(Statement statement)
    {
        super(statement.pos());
        this.statement = requireNonNull(statement, "statement is null");
    }

    public Statement statement()
    {
        return statement;
    }

    @Override
    public SqlOperator getOperator()
    {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList()
    {
        return List.of();
    }

    @Override
    public SqlNode clone(SqlParserPos pos)
    {
        return new SqlGlauxStatement(statement);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec)
    {
        writer.literal(statement.toString());
    }
}
