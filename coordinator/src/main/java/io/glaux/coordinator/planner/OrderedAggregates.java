package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.plan.SortKey;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.type.ReturnTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An aggregate with ORDER BY ({@code array_agg(x ORDER BY y)}, {@code listagg(...) WITHIN GROUP (ORDER BY
 * y)}) in a correlated subquery, made safe for Calcite's decorrelator, which moves an aggregate's
 * argument columns but not the columns of its ORDER BY: before decorrelation each such call takes its
 * sort keys as arguments after its own ({@link KeysAsArguments}, which remembers their directions) and no
 * longer has a collation, so that the decorrelator moves the keys with the arguments. The physical
 * planner reads the keys back from the arguments.
 */
final class OrderedAggregates
{
    private OrderedAggregates() {}

    /**
     * The function of a call whose sort keys are its last arguments: {@code original}'s name and kind, the
     * call's type, and {@code orderBy}, one key per extra argument (its column is its position among the
     * call's arguments).
     */
    static final class KeysAsArguments
            extends SqlAggFunction
    {
        private final List<SortKey> orderBy;

        KeysAsArguments(SqlAggFunction original, org.apache.calcite.rel.type.RelDataType type, List<SortKey> orderBy)
        {
            super(original.getName(), null, original.getKind(), ReturnTypes.explicit(type), null, null, SqlFunctionCategory.USER_DEFINED_FUNCTION,
                    false, false, original.requiresGroupOrder());
            this.orderBy = List.copyOf(requireNonNull(orderBy, "orderBy is null"));
        }

        /** The call's sort keys, by position among its arguments. */
        List<SortKey> orderBy()
        {
            return orderBy;
        }

        /** Part of each plan's digest: two calls ordering the same columns differently stay apart. */
        @Override
        public String toString()
        {
            return getName() + orderBy.stream().map(key -> "$" + key.column() + (key.ascending() ? "" : " DESC") + (key.nullsFirst() ? " NULLS FIRST" : ""))
                    .collect(Collectors.joining(", ", "[ORDER BY ", "]"));
        }

        @Override
        public boolean equals(Object other)
        {
            return other instanceof KeysAsArguments that && getName().equals(that.getName()) && getKind() == that.getKind() && orderBy.equals(that.orderBy);
        }

        @Override
        public int hashCode()
        {
            return getName().hashCode() * 31 + orderBy.hashCode();
        }
    }

    /** {@code plan} with each aggregate call's ORDER BY turned into arguments ({@link KeysAsArguments}). */
    static RelNode keysAsArguments(RelNode plan)
    {
        return plan.accept(new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                RelNode node = super.visit(other);
                if (!(node instanceof Aggregate aggregate) || aggregate.getAggCallList().stream().allMatch(call -> call.collation.getFieldCollations().isEmpty())) {
                    return node;
                }
                List<AggregateCall> calls = new ArrayList<>();
                for (AggregateCall call : aggregate.getAggCallList()) {
                    if (call.collation.getFieldCollations().isEmpty()) {
                        calls.add(call);
                        continue;
                    }
                    List<Integer> arguments = new ArrayList<>(call.getArgList());
                    List<SortKey> orderBy = new ArrayList<>();
                    for (RelFieldCollation collation : call.collation.getFieldCollations()) {
                        // Trino's default is NULLS LAST in both directions (the validator's null collation says the same)
                        orderBy.add(new SortKey(arguments.size(), !collation.direction.isDescending(), collation.nullDirection == RelFieldCollation.NullDirection.FIRST));
                        arguments.add(collation.getFieldIndex());
                    }
                    calls.add(AggregateCall.create(new KeysAsArguments(call.getAggregation(), call.getType(), orderBy), call.isDistinct(), call.isApproximate(),
                            call.ignoreNulls(), call.rexList, arguments, call.filterArg, call.distinctKeys, RelCollations.EMPTY, call.getType(), call.getName()));
                }
                return aggregate.copy(aggregate.getTraitSet(), aggregate.getInput(), aggregate.getGroupSet(), aggregate.getGroupSets(), calls);
            }
        });
    }
}
