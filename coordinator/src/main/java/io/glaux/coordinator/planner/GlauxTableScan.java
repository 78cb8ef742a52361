package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.coordinator.metadata.HiveTable;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.fragment.Aggregation;
import io.glaux.engine.fragment.ScanFragment;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The scan of a metastore table, with whatever the planner pushed into it: the columns to read, a
 * filter, projections, a partial aggregation and a limit. Those run on the workers: the physical
 * planner makes it a scan stage, which {@code QueryExecution} schedules. Immutable: pushdown creates
 * new nodes.
 */
public final class GlauxTableScan
        extends TableScan
{
    private final HiveTable hiveTable;
    private final List<ColumnHandle> columns;
    private final Optional<Expression> filter;
    private final List<Expression> projections;
    private final Optional<Aggregation> aggregation;
    private final OptionalLong limit;
    private final RelDataType outputType;
    /**
     * The share of the table's rows it delivers, as guessed when work was pushed into it (a filter's
     * selectivity, an aggregation's groups): a factor, so that the table's row count is asked only when
     * a plan needs an estimate.
     */
    private final double selectivity;

    private GlauxTableScan(
            RelOptCluster cluster,
            RelTraitSet traitSet,
            RelOptTable table,
            HiveTable hiveTable,
            List<ColumnHandle> columns,
            Optional<Expression> filter,
            List<Expression> projections,
            Optional<Aggregation> aggregation,
            OptionalLong limit,
            RelDataType outputType,
            double selectivity)
    {
        super(cluster, traitSet, List.of(), table);
        this.hiveTable = requireNonNull(hiveTable, "hiveTable is null");
        this.columns = List.copyOf(columns);
        this.filter = requireNonNull(filter, "filter is null");
        this.projections = List.copyOf(projections);
        this.aggregation = requireNonNull(aggregation, "aggregation is null");
        this.limit = requireNonNull(limit, "limit is null");
        this.outputType = requireNonNull(outputType, "outputType is null");
        this.selectivity = selectivity;
    }

    public static GlauxTableScan create(RelOptCluster cluster, RelOptTable table, HiveTable hiveTable)
    {
        List<Expression> identity = new ArrayList<>();
        for (int i = 0; i < hiveTable.columns().size(); i++) {
            identity.add(new Expression.InputRef(i, hiveTable.columns().get(i).type()));
        }
        return new GlauxTableScan(cluster, cluster.traitSetOf(Convention.NONE), table, hiveTable,
                hiveTable.columns(), Optional.empty(), identity, Optional.empty(), OptionalLong.empty(), table.getRowType(), 1.0);
    }

    public GlauxTableScan with(Optional<Expression> filter, List<Expression> projections, Optional<Aggregation> aggregation, OptionalLong limit, RelDataType outputType)
    {
        return new GlauxTableScan(getCluster(), getTraitSet(), getTable(), hiveTable, columns, filter, projections, aggregation, limit, outputType, selectivity);
    }

    public GlauxTableScan withColumns(List<ColumnHandle> columns, Optional<Expression> filter, List<Expression> projections)
    {
        return new GlauxTableScan(getCluster(), getTraitSet(), getTable(), hiveTable, columns, filter, projections, aggregation, limit, outputType, selectivity);
    }

    /** This scan, delivering {@code factor} times the rows it did (the share of them that work pushed into it keeps). */
    public GlauxTableScan withSelectivity(double factor)
    {
        return new GlauxTableScan(getCluster(), getTraitSet(), getTable(), hiveTable, columns, filter, projections, aggregation, limit, outputType,
                Math.clamp(selectivity * factor, 0, 1));
    }

    /**
     * The table's rows (its statistics) times the share the pushed work keeps; one row for an
     * aggregation without groups; at most the limit.
     */
    @Override
    public double estimateRowCount(RelMetadataQuery mq)
    {
        if (aggregation.isPresent() && aggregation.get().groupKeys().isEmpty()) {
            return 1;
        }
        double rows = table.getRowCount() * selectivity;
        if (limit.isPresent()) {
            rows = Math.min(rows, limit.getAsLong());
        }
        return Math.max(1, rows);
    }

    public HiveTable hiveTable()
    {
        return hiveTable;
    }

    public List<ColumnHandle> columns()
    {
        return columns;
    }

    public Optional<Expression> filter()
    {
        return filter;
    }

    public List<Expression> projections()
    {
        return projections;
    }

    public Optional<Aggregation> aggregation()
    {
        return aggregation;
    }

    public OptionalLong limit()
    {
        return limit;
    }

    public ScanFragment fragment(TupleDomain pruning)
    {
        return new ScanFragment(hiveTable.qualifiedName(), hiveTable.format().format(), hiveTable.format().properties(), columns, filter, projections,
                aggregation, pruning, limit);
    }

    @Override
    public RelDataType deriveRowType()
    {
        return outputType;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs)
    {
        return new GlauxTableScan(getCluster(), traitSet, getTable(), hiveTable, columns, filter, projections, aggregation, limit, outputType, selectivity);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw)
    {
        return super.explainTerms(pw)
                .item("columns", columns.stream().map(ColumnHandle::name).toList())
                .itemIf("filter", filter.orElse(null), filter.isPresent())
                .item("projections", projections)
                .itemIf("aggregation", aggregation.orElse(null), aggregation.isPresent())
                .itemIf("limit", limit.isPresent() ? limit.getAsLong() : 0, limit.isPresent());
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq)
    {
        double factor = 1.0;
        if (filter.isPresent()) {
            factor *= 0.5;
        }
        if (aggregation.isPresent()) {
            factor *= 0.1;
        }
        factor *= (columns.size() + 1.0) / (hiveTable.columns().size() + 1.0);
        return requireNonNull(super.computeSelfCost(planner, mq), "cost").multiplyBy(factor);
    }
}
