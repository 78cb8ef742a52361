package io.glaux.coordinator.metadata;

import io.glaux.coordinator.planner.QueryPlanner;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * A view created by Hive or Spark: table type {@code VIRTUAL_VIEW} with HiveQL in
 * {@code viewExpandedText} (names back-quoted and qualified, {@code `db`.`t`.`c`}) and no Trino
 * encoding. Like Trino's {@code hive.hive-views.enabled}, Glaux reads the simple ones: the text is
 * parsed with Glaux's grammar in a Hive-compatible mode (back-quoted identifiers) and written back as
 * Glaux SQL, which the planner expands like any view.
 */
public final class HiveView
{
    private static final SqlParser.Config HIVE_PARSER_CONFIG = QueryPlanner.PARSER_CONFIG.withQuoting(Quoting.BACK_TICK);

    private HiveView() {}

    /** The view's query as Glaux SQL; {@code NOT_SUPPORTED} naming the view when the HiveQL is beyond Glaux's grammar. */
    public static String toGlauxSql(String viewName, String hiveQl)
    {
        SqlNode query;
        try {
            query = SqlParser.create(hiveQl, HIVE_PARSER_CONFIG).parseQuery();
        }
        catch (SqlParseException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "View " + viewName + " is a Hive view whose query Glaux cannot read: " + message, e);
        }
        return query.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
    }
}
