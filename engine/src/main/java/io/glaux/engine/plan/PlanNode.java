package io.glaux.engine.plan;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.spi.type.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Glaux's physical plan: an immutable tree of nodes, each producing a positional list of columns
 * ({@link #outputTypes()}). Expressions and keys refer to a node's input columns by index: for a
 * single-input node the source's output; for joins the left (probe) columns followed by the right
 * (build) columns. The coordinator's translator builds it from Calcite's optimized logical plan, an
 * exchange pass adds {@link Exchange}s, and the fragmenter cuts the tree at them into stages.
 */
public sealed interface PlanNode
        permits PlanNode.TableScan, PlanNode.Filter, PlanNode.Project, PlanNode.Aggregate, PlanNode.Join,
        PlanNode.NestedLoopJoin, PlanNode.Sort, PlanNode.TopN, PlanNode.Limit, PlanNode.Window,
        PlanNode.Values, PlanNode.Union, PlanNode.SetOperation, PlanNode.Unnest, PlanNode.Exchange,
        PlanNode.RemoteSource
{
    PlanNodeId id();

    List<Type> outputTypes();

    List<PlanNode> sources();

    /** Aggregation and top-N steps: SINGLE does it all in one place; PARTIAL → (INTERMEDIATE) → FINAL split it over an exchange. */
    enum Step
    {
        SINGLE, PARTIAL, INTERMEDIATE, FINAL
    }

    /**
     * Reads a table. {@code columns} are what the reader produces (data, partition and hidden
     * columns); {@code pruning} lets the reader skip files, row groups and pages. Filters, projections,
     * partial aggregations and limits above it run in the same stage.
     *
     * @param table the qualified table name, for errors and EXPLAIN
     * @param format the reader's format name ({@code parquet}, {@code text}, {@code json}, ...)
     * @param formatProperties what the format's reader needs from the table
     */
    record TableScan(PlanNodeId id, String table, String format, Map<String, String> formatProperties,
            List<ColumnHandle> columns, TupleDomain pruning)
            implements PlanNode
    {
        public TableScan
        {
            requireNonNull(id, "id is null");
            requireNonNull(table, "table is null");
            requireNonNull(format, "format is null");
            formatProperties = Map.copyOf(formatProperties);
            columns = List.copyOf(columns);
            requireNonNull(pruning, "pruning is null");
        }

        @Override
        public List<Type> outputTypes()
        {
            return columns.stream().map(ColumnHandle::type).toList();
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of();
        }
    }

    /** Keeps the rows for which {@code predicate} is true. */
    record Filter(PlanNodeId id, PlanNode source, Expression predicate)
            implements PlanNode
    {
        public Filter
        {
            requireNonNull(id, "id is null");
            requireNonNull(source, "source is null");
            requireNonNull(predicate, "predicate is null");
        }

        @Override
        public List<Type> outputTypes()
        {
            return source.outputTypes();
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of(source);
        }
    }

    /** Computes one output column per expression. */
    record Project(PlanNodeId id, PlanNode source, List<Expression> projections)
            implements PlanNode
    {
        public Project
        {
            requireNonNull(id, "id is null");
            requireNonNull(source, "source is null");
            projections = List.copyOf(projections);
        }

        @Override
        public List<Type> outputTypes()
        {
            return projections.stream().map(Expression::type).toList();
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of(source);
        }
    }

    /**
     * Hash aggregation. Output: the group key columns (in {@code groupKeys} order), then one column per
     * aggregate. With {@code groupingSets} (indexes into {@code groupKeys}; empty = the one set of all
     * keys) each input row counts once per set, keys not in the set are NULL, and a last bigint column
     * holds the set's grouping id (bit i set = key i not grouped, as Calcite's GROUPING_ID).
     * Without group keys there is exactly one output row (SINGLE and FINAL steps), even for no input.
     */
    record Aggregate(PlanNodeId id, PlanNode source, Step step, List<Integer> groupKeys, List<List<Integer>> groupingSets,
            List<AggregateCall> aggregates)
            implements PlanNode
    {
        public Aggregate
        {
            requireNonNull(id, "id is null");
            requireNonNull(source, "source is null");
            requireNonNull(step, "step is null");
            groupKeys = List.copyOf(groupKeys);
            groupingSets = groupingSets.stream().map(List::copyOf).toList();
            aggregates = List.copyOf(aggregates);
        }

        @Override
        public List<Type> outputTypes()
        {
            List<Type> types = new ArrayList<>();
            List<Type> input = source.outputTypes();
            for (int key : groupKeys) {
                types.add(input.get(key));
            }
            for (AggregateCall call : aggregates) {
                types.add(step == Step.PARTIAL || step == Step.INTERMEDIATE ? call.intermediateType() : call.outputType());
            }
            if (!groupingSets.isEmpty()) {
                types.add(Type.BIGINT);
            }
            return List.copyOf(types);
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of(source);
        }
    }

    enum JoinType
    {
        /** Matching pairs. */
        INNER,
        /** Matching pairs, and each unmatched left row with NULL right columns. */
        LEFT,
        /** Matching pairs, and each unmatched right row with NULL left columns. */
        RIGHT,
        /** LEFT and RIGHT together. */
        FULL,
        /** Each left row that has a match, once; output = left columns only. */
        SEMI,
        /** Each left row without a match; output = left columns only. */
        ANTI;

        public boolean outputsRight()
        {
            return this != SEMI && this != ANTI;
        }
    }

    /** How a join's inputs reach its tasks. */
    enum JoinDistribution
    {
        /** The build side is copied to every task of the probe side. */
        BROADCAST,
        /** Both sides are hash-partitioned on the join keys. */
        PARTITIONED
    }

    /**
     * Equi-join: rows of {@code left} (probe) and {@code right} (build) whose {@code leftKeys} equal
     * their {@code rightKeys} (NULL keys never match), then {@code residual} (over left columns followed
     * by right columns) must be true. Output: left columns then right columns (left only for SEMI and
     * ANTI); with {@code outputColumns}, only those of them, in that order (a join gathers only the
     * columns the plan above it reads).
     */
    record Join(PlanNodeId id, JoinType type, PlanNode left, PlanNode right, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual, JoinDistribution distribution, Optional<List<Integer>> outputColumns)
            implements PlanNode
    {
        /** A join that outputs every column. */
        public Join(PlanNodeId id, JoinType type, PlanNode left, PlanNode right, List<Integer> leftKeys, List<Integer> rightKeys,
                Optional<Expression> residual, JoinDistribution distribution)
        {
            this(id, type, left, right, leftKeys, rightKeys, residual, distribution, Optional.empty());
        }

        public Join
        {
            requireNonNull(outputColumns, "outputColumns is null");
            outputColumns = outputColumns.map(List::copyOf);
            int width = joinOutput(type, left, right).size();
            outputColumns.ifPresent(columns -> columns.forEach(column -> {
                if (column < 0 || column >= width) {
                    throw new IllegalArgumentException("join output column " + column + " of " + width);
                }
            }));
            requireNonNull(id, "id is null");
            requireNonNull(type, "type is null");
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
            leftKeys = List.copyOf(leftKeys);
            rightKeys = List.copyOf(rightKeys);
            if (leftKeys.size() != rightKeys.size() || leftKeys.isEmpty()) {
                throw new IllegalArgumentException("join keys: " + leftKeys + " = " + rightKeys);
            }
            requireNonNull(residual, "residual is null");
            requireNonNull(distribution, "distribution is null");
        }

        @Override
        public List<Type> outputTypes()
        {
            List<Type> all = joinOutput(type, left, right);
            return outputColumns.map(columns -> columns.stream().map(all::get).toList()).orElse(all);
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of(left, right);
        }

        /** The same join, outputting only {@code columns} (positions in its full output). */
        public Join withOutputColumns(List<Integer> columns)
        {
            return new Join(id, type, left, right, leftKeys, rightKeys, residual, distribution, Optional.of(columns));
        }
    }

    /** Join on an arbitrary {@code condition} (empty = cross join); the right side is buffered. Output as {@link Join}. */
    record NestedLoopJoin(PlanNodeId id, JoinType type, PlanNode left, PlanNode right, Optional<Expression> condition)
            implements PlanNode
    {
        public NestedLoopJoin
        {
            requireNonNull(id, "id is null");
            requireNonNull(type, "type is null");
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
            requireNonNull(condition, "condition is null");
        }

        @Override
        public List<Type> outputTypes()
        {
            return joinOutput(type, left, right);
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of(left, right);
        }
    }

    private static List<Type> joinOutput(JoinType type, PlanNode left, PlanNode right)
    {
        List<Type> types = new ArrayList<>(left.outputTypes());
        if (type.outputsRight()) {
            types.addAll(right.outputTypes());
        }
        return List.copyOf(types);
    }

    /** Sorts all rows. */
    record Sort(PlanNodeId id, PlanNode source, List<SortKey> keys)
            implements PlanNode
    {
        public Sort
        {
            requireNonNull(id, "id is null");
            requireNonNull(source, "source is null");
            keys = List.copyOf(keys);
        }

        @Override
        public List<Type> outputTypes()
        {
            return source.outputTypes();
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of(source);
        }
    }

    /** The first {@code count} rows in {@code keys} order (ties broken arbitrarily), sorted. PARTIAL runs per task, FINAL after the gather. */
    record TopN(PlanNodeId id, PlanNode source, List<SortKey> keys, long count, Step step)
            implements PlanNode
    {
        public TopN
        {
            requireNonNull(id, "id is null");
            requireNonNull(source, "source is null");
            keys = List.copyOf(keys);
            requireNonNull(step, "step is null");
        }

        @Override
        public List<Type> outputTypes()
        {
            return source.outputTypes();
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of(source);
        }
    }

    /** Skips {@code offset} rows, then passes at most {@code count} rows. {@code partial}: a per-task limit below a gather (offset 0). */
    record Limit(PlanNodeId id, PlanNode source, long offset, long count, boolean partial)
            implements PlanNode
    {
        public Limit
        {
            requireNonNull(id, "id is null");
            requireNonNull(source, "source is null");
        }

        @Override
        public List<Type> outputTypes()
        {
            return source.outputTypes();
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of(source);
        }
    }

    /**
     * Window functions over partitions of the input ({@code partitionKeys}) ordered by {@code orderKeys}.
     * Output: the input columns, then one column per function.
     */
    record Window(PlanNodeId id, PlanNode source, List<Integer> partitionKeys, List<SortKey> orderKeys, List<WindowFunction> functions)
            implements PlanNode
    {
        public Window
        {
            requireNonNull(id, "id is null");
            requireNonNull(source, "source is null");
            partitionKeys = List.copyOf(partitionKeys);
            orderKeys = List.copyOf(orderKeys);
            functions = List.copyOf(functions);
        }

        @Override
        public List<Type> outputTypes()
        {
            List<Type> types = new ArrayList<>(source.outputTypes());
            functions.forEach(function -> types.add(function.type()));
            return List.copyOf(types);
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of(source);
        }
    }

    /** Literal rows; values use the engine's Java representation (see {@link Expression}). */
    record Values(PlanNodeId id, List<Type> outputTypes, List<List<Object>> rows)
            implements PlanNode
    {
        public Values
        {
            requireNonNull(id, "id is null");
            outputTypes = List.copyOf(outputTypes);
            rows = rows.stream().map(row -> java.util.Collections.unmodifiableList(new ArrayList<>(row))).toList();
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of();
        }
    }

    /** UNION ALL: the rows of every source, which have the same column types. */
    record Union(PlanNodeId id, List<PlanNode> sources)
            implements PlanNode
    {
        public Union
        {
            requireNonNull(id, "id is null");
            sources = List.copyOf(sources);
        }

        @Override
        public List<Type> outputTypes()
        {
            return sources.getFirst().outputTypes();
        }
    }

    enum SetOperationKind
    {
        UNION, INTERSECT, EXCEPT
    }

    /**
     * UNION (distinct), INTERSECT [ALL] and EXCEPT [ALL] over sources with the same column types, with
     * SQL's multiset rules (NULLs equal each other): for a row appearing m times in the first source and
     * n times in the second, INTERSECT ALL gives min(m, n) copies, EXCEPT ALL max(m - n, 0).
     */
    record SetOperation(PlanNodeId id, SetOperationKind kind, boolean all, List<PlanNode> sources)
            implements PlanNode
    {
        public SetOperation
        {
            requireNonNull(id, "id is null");
            requireNonNull(kind, "kind is null");
            sources = List.copyOf(sources);
        }

        @Override
        public List<Type> outputTypes()
        {
            return sources.getFirst().outputTypes();
        }
    }

    /**
     * For each input row, one output row per element of the array (or entry of the map) columns
     * {@code unnestColumns} (zipped when several, shorter ones padded with NULL): the {@code replicate}
     * columns, then the elements (map: key, value), then the 1-based ordinal if {@code ordinality}.
     * {@code outer}: a row with only empty or NULL collections yields one row of NULL elements.
     */
    record Unnest(PlanNodeId id, PlanNode source, List<Integer> replicate, List<Integer> unnestColumns, boolean ordinality, boolean outer,
            List<Type> outputTypes)
            implements PlanNode
    {
        public Unnest
        {
            requireNonNull(id, "id is null");
            requireNonNull(source, "source is null");
            replicate = List.copyOf(replicate);
            unnestColumns = List.copyOf(unnestColumns);
            outputTypes = List.copyOf(outputTypes);
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of(source);
        }
    }

    enum ExchangeType
    {
        /** All rows to one consumer (the coordinator's final stage, or one task). */
        GATHER,
        /** Rows to the consumer task chosen by the hash of {@code partitionKeys}. */
        REPARTITION,
        /** Every row to every consumer task. */
        BROADCAST,
        /** Rows spread evenly over the consumer tasks. */
        ROUND_ROBIN
    }

    /**
     * Where rows cross between stages. {@code orderBy} non-empty: a merging gather, each producer's
     * output being sorted on it.
     */
    record Exchange(PlanNodeId id, ExchangeType type, PlanNode source, List<Integer> partitionKeys, List<SortKey> orderBy)
            implements PlanNode
    {
        public Exchange
        {
            requireNonNull(id, "id is null");
            requireNonNull(type, "type is null");
            requireNonNull(source, "source is null");
            partitionKeys = List.copyOf(partitionKeys);
            orderBy = List.copyOf(orderBy);
        }

        @Override
        public List<Type> outputTypes()
        {
            return source.outputTypes();
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of(source);
        }
    }

    /** The rows an {@link Exchange} delivers to this stage from the stage(s) below it, after fragmenting. */
    record RemoteSource(PlanNodeId id, List<Integer> sourceStages, ExchangeType exchangeType, List<SortKey> orderBy, List<Type> outputTypes)
            implements PlanNode
    {
        public RemoteSource
        {
            requireNonNull(id, "id is null");
            sourceStages = List.copyOf(sourceStages);
            requireNonNull(exchangeType, "exchangeType is null");
            orderBy = List.copyOf(orderBy);
            outputTypes = List.copyOf(outputTypes);
        }

        @Override
        public List<PlanNode> sources()
        {
            return List.of();
        }
    }
}
