package io.glaux.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;

/** A query's spill bytes count against its own limit and its node's; closing the query gives them back. */
class SpillSpaceTest
{
    @Test
    void aQueryPastItsLimitFailsNamingTheLimitAndTheOperator()
    {
        SpillSpace node = SpillSpace.node("spill.max-size", 100 << 20);
        SpillSpace query = node.forQuery("query.max-spill-per-node", 10 << 20);
        query.add("HashAggregation[4]", 6 << 20);
        assertThat(node.usedBytes()).isEqualTo(6 << 20);
        assertThatThrownBy(() -> query.add("HashAggregation[4]", 5 << 20))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_SPILL_LIMIT))
                .hasMessage("Query exceeded the spill limit of 10MB (query.max-spill-per-node = 10485760 bytes): HashAggregation[4] spilled 5MB more, 11MB in all");
        query.close();
        assertThat(node.usedBytes()).isZero();
        query.close();
        assertThat(node.usedBytes()).isZero();
    }

    @Test
    void queriesTogetherPastTheNodesLimitFail()
    {
        SpillSpace node = SpillSpace.node("spill.max-size", 10 << 20);
        SpillSpace first = node.forQuery("query.max-spill-per-node", 10 << 20);
        SpillSpace second = node.forQuery("query.max-spill-per-node", 10 << 20);
        first.add("Sort[1]", 6 << 20);
        assertThatThrownBy(() -> second.add("HashJoin[2]", 6 << 20))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_SPILL_LIMIT))
                .hasMessageContaining("spill.max-size")
                .hasMessageContaining("HashJoin[2]");
        // the first query's files went with it: the node has room again
        first.close();
        second.close();
        SpillSpace third = node.forQuery("query.max-spill-per-node", 10 << 20);
        third.add("Sort[1]", 9 << 20);
        assertThat(node.usedBytes()).isEqualTo(9 << 20);
    }
}
