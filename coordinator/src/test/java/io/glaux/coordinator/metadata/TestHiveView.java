package io.glaux.coordinator.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.coordinator.planner.QueryPlanner;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.calcite.sql.SqlKind;
import org.junit.jupiter.api.Test;

/** HiveQL of Hive-created views (viewExpandedText) read with Glaux's grammar. */
class TestHiveView
{
    @Test
    void expandedTextBecomesGlauxSql()
    {
        String sql = HiveView.toGlauxSql("hive.ext.v", """
                SELECT `t`.`id`, `t`.`date`, upper(`t`.`name`) AS `Upper Name`, 'it''s' AS `s`
                FROM `ext`.`t` WHERE `t`.`id` > 1 AND `t`.`name` LIKE 'a%' ORDER BY `t`.`id` LIMIT 5""");
        assertThat(sql).contains("\"ext\".\"t\"", "\"date\"", "\"Upper Name\"", "'it''s'");
        assertThat(QueryPlanner.parse(sql).getKind()).isEqualTo(SqlKind.ORDER_BY);
    }

    @Test
    void unreadableHiveQlNamesTheView()
    {
        assertThatThrownBy(() -> HiveView.toGlauxSql("hive.ext.v", "SELECT `a` FROM `t` LATERAL VIEW explode(`b`) x AS y"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED);
                    assertThat(e.getMessage()).contains("hive.ext.v", "Hive view");
                });
    }
}
