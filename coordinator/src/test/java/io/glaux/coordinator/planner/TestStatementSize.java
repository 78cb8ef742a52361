package io.glaux.coordinator.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;

class TestStatementSize
{
    @Test
    void longOperatorChainsAreRefusedBeforeParsing()
    {
        assertThatThrownBy(() -> QueryPlanner.parse("SELECT 1" + " + 1".repeat(200_000)))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                .hasMessageContaining("200,000 operators").hasMessageContaining("10,000");
        assertThatThrownBy(() -> QueryPlanner.parse("SELECT * FROM t WHERE x = 0" + " or x = 1".repeat(6_000)))
                .hasMessageContaining("12,002 operators");
    }

    @Test
    void operatorsInStringsNamesAndCommentsDoNotCount()
    {
        String many = "+ - * / = < > AND OR ".repeat(2_000);
        assertThatCode(() -> QueryPlanner.parse("SELECT '" + many.replace("'", "''") + "' AS \"a+b-c OR d\" -- " + many + "\n/* " + many + " */ FROM t"))
                .doesNotThrowAnyException();
        // words that contain AND or OR are not operators
        assertThatCode(() -> QueryPlanner.parse("SELECT " + "brand, order_id, ".repeat(5_000) + "x FROM t")).doesNotThrowAnyException();
        assertThatCode(() -> QueryPlanner.parse("SELECT * FROM t WHERE x = 0" + " OR x = 1".repeat(1_000))).doesNotThrowAnyException();
    }
}
