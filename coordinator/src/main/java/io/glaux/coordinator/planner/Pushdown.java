package io.glaux.coordinator.planner;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.AggregateFunction;
import io.glaux.engine.fragment.Aggregation;
import io.glaux.spi.type.Type;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Pushes filters, projections, aggregations and limits into {@link GlauxTableScan}s, bottom-up, so
 * workers do that work next to the data. A part that the engine cannot run stays above the scan in
 * the Calcite plan; the result is the same either way. Finally each scan reads only the columns its
 * filter and projections use.
 */
final class Pushdown
{
    private Pushdown() {}

    static RelNode apply(RelNode root, ScanFieldTrimmer trimmer)
    {
        // trimming keeps the row type of the root: the query's result columns do not change
        return pruneColumns(trimmer.trim(push(root)));
    }

    private static RelNode push(RelNode node)
    {
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : node.getInputs()) {
            RelNode rewritten = push(input);
            changed |= rewritten != input;
            inputs.add(rewritten);
        }
        RelNode current = changed ? node.copy(node.getTraitSet(), inputs) : node;
        if (current.getInputs().size() != 1 || !(current.getInput(0) instanceof GlauxTableScan scan)) {
            return current;
        }
        return switch (current) {
            case LogicalFilter filter -> pushFilter(filter, scan);
            case LogicalProject project -> pushProject(project, scan);
            case LogicalAggregate aggregate -> pushAggregate(aggregate, scan);
            case LogicalSort sort -> pushLimit(sort, scan);
            default -> current;
        };
    }

    private static RelNode pushFilter(LogicalFilter filter, GlauxTableScan scan)
    {
        if (scan.aggregation().isPresent() || scan.limit().isPresent()) {
            return filter;
        }
        RexBuilder rexBuilder = filter.getCluster().getRexBuilder();
        RexNode condition = RexUtil.expandSearch(rexBuilder, null, filter.getCondition());
        RexTranslator translator = new RexTranslator(scan.projections());
        List<Expression> pushed = new ArrayList<>();
        List<RexNode> remaining = new ArrayList<>();
        for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
            translator.translate(conjunct).ifPresentOrElse(pushed::add, () -> remaining.add(conjunct));
        }
        if (pushed.isEmpty()) {
            return filter;
        }
        scan.filter().ifPresent(existing -> pushed.addFirst(existing));
        Expression combined = pushed.size() == 1 ? pushed.getFirst() : new Expression.Call(Expression.Operator.AND, pushed, Type.BOOLEAN);
        // the translator replaced input refs by the scan's projections, so the filter is over the columns
        // the rows left: the scan's, times the pushed conjuncts' selectivity as Calcite guesses it (no statistics are read here)
        List<RexNode> pushedConditions = new ArrayList<>(RelOptUtil.conjunctions(condition));
        pushedConditions.removeAll(remaining);
        double selectivity = org.apache.calcite.rel.metadata.RelMdUtil.guessSelectivity(RexUtil.composeConjunction(rexBuilder, pushedConditions));
        GlauxTableScan newScan = scan.with(Optional.of(combined), scan.projections(), Optional.empty(), OptionalLong.empty(), scan.getRowType())
                .withSelectivity(selectivity);
        if (remaining.isEmpty()) {
            return newScan;
        }
        return filter.copy(filter.getTraitSet(), newScan, RexUtil.composeConjunction(rexBuilder, remaining));
    }

    private static RelNode pushProject(LogicalProject project, GlauxTableScan scan)
    {
        if (scan.aggregation().isPresent()) {
            return project;
        }
        RexTranslator translator = new RexTranslator(scan.projections());
        List<Expression> translated = new ArrayList<>();
        for (RexNode expression : project.getProjects()) {
            Optional<Expression> result = translator.translate(expression);
            if (result.isEmpty()) {
                return pruneProject(project, scan);
            }
            translated.add(result.get());
        }
        return scan.with(scan.filter(), translated, Optional.empty(), scan.limit(), project.getRowType());
    }

    /** Keep a projection the engine cannot compute, but let the scan produce only the fields it uses. */
    private static RelNode pruneProject(LogicalProject project, GlauxTableScan scan)
    {
        ImmutableBitSet used = RelOptUtil.InputFinder.bits(project.getProjects(), null);
        if (used.cardinality() == scan.projections().size()) {
            return project;
        }
        List<Expression> kept = new ArrayList<>();
        Map<Integer, Integer> mapping = new LinkedHashMap<>();
        for (int index : used) {
            mapping.put(index, kept.size());
            kept.add(scan.projections().get(index));
        }
        var typeBuilder = project.getCluster().getTypeFactory().builder();
        for (int index : used) {
            typeBuilder.add(scan.getRowType().getFieldList().get(index));
        }
        GlauxTableScan newScan = scan.with(scan.filter(), kept, Optional.empty(), scan.limit(), typeBuilder.build());
        RexShuttle remap = new RexShuttle()
        {
            @Override
            public RexNode visitInputRef(RexInputRef ref)
            {
                return new RexInputRef(mapping.get(ref.getIndex()), ref.getType());
            }
        };
        List<RexNode> projects = new ArrayList<>();
        for (RexNode expression : project.getProjects()) {
            projects.add(expression.accept(remap));
        }
        return project.copy(project.getTraitSet(), newScan, projects, project.getRowType());
    }

    private static RelNode pushAggregate(LogicalAggregate aggregate, GlauxTableScan scan)
    {
        if (scan.aggregation().isPresent() || scan.limit().isPresent() || aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
            return aggregate;
        }
        List<AggregateCall> calls = new ArrayList<>();
        for (org.apache.calcite.rel.core.AggregateCall call : aggregate.getAggCallList()) {
            if (call.isDistinct() || call.filterArg >= 0 || !call.collation.getFieldCollations().isEmpty() || call.getArgList().size() > 1) {
                return aggregate;
            }
            AggregateFunction function = switch (call.getAggregation().getKind()) {
                case COUNT -> call.getArgList().isEmpty() ? AggregateFunction.COUNT_STAR : AggregateFunction.COUNT;
                case SUM -> AggregateFunction.SUM;
                case MIN -> AggregateFunction.MIN;
                case MAX -> AggregateFunction.MAX;
                default -> null;
            };
            if (function == null) {
                return aggregate;
            }
            int input = call.getArgList().isEmpty() ? -1 : call.getArgList().getFirst();
            Type outputType;
            try {
                outputType = TypeMapping.fromRelType(call.getType());
            }
            catch (RuntimeException e) {
                return aggregate;
            }
            if (!pushableAggregateType(function, input < 0 ? null : scan.projections().get(input).type(), outputType)) {
                return aggregate;
            }
            calls.add(new AggregateCall(function, input, outputType));
        }
        for (int key : aggregate.getGroupSet()) {
            if (!pushableKeyType(scan.projections().get(key).type())) {
                return aggregate;
            }
        }
        Aggregation aggregation = new Aggregation(aggregate.getGroupSet().asList(), calls);
        // as Calcite guesses an aggregation's groups without column statistics: a tenth of the rows
        return scan.with(scan.filter(), scan.projections(), Optional.of(aggregation), OptionalLong.empty(), aggregate.getRowType()).withSelectivity(0.1);
    }

    private static boolean pushableKeyType(Type type)
    {
        return type instanceof Type.Primitive || type instanceof Type.Varchar || type instanceof Type.Timestamp;
    }

    private static boolean pushableAggregateType(AggregateFunction function, Type input, Type output)
    {
        if (input == null) {
            return true;
        }
        return switch (function) {
            case COUNT_STAR, COUNT -> true;
            case SUM -> input instanceof Type.Primitive primitive && switch (primitive.kind()) {
                case TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE -> true;
                default -> false;
            } && (output.equals(Type.BIGINT) || output.equals(Type.DOUBLE));
            case MIN, MAX -> pushableKeyType(input) && input.equals(output);
            // the others run in the engine's aggregation above the scan
            default -> false;
        };
    }

    private static RelNode pushLimit(LogicalSort sort, GlauxTableScan scan)
    {
        if (!sort.getCollation().getFieldCollations().isEmpty() || sort.fetch == null || sort.offset != null
                || scan.aggregation().isPresent() || !(sort.fetch instanceof RexLiteral literal)) {
            return sort;
        }
        long fetch = literal.getValueAs(Long.class);
        GlauxTableScan newScan = scan.with(scan.filter(), scan.projections(), Optional.empty(), OptionalLong.of(fetch), scan.getRowType());
        return sort.copy(sort.getTraitSet(), List.of(newScan));
    }

    private static RelNode pruneColumns(RelNode node)
    {
        if (node instanceof GlauxTableScan scan) {
            return pruneScanColumns(scan);
        }
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : node.getInputs()) {
            RelNode rewritten = pruneColumns(input);
            changed |= rewritten != input;
            inputs.add(rewritten);
        }
        return changed ? node.copy(node.getTraitSet(), inputs) : node;
    }

    private static GlauxTableScan pruneScanColumns(GlauxTableScan scan)
    {
        return pruneColumnsOf(pruneAggregationInputs(scan));
    }

    /** An aggregation reads only some projections (its keys and arguments): drop the others. */
    private static GlauxTableScan pruneAggregationInputs(GlauxTableScan scan)
    {
        if (scan.aggregation().isEmpty()) {
            return scan;
        }
        Aggregation aggregation = scan.aggregation().get();
        TreeSet<Integer> used = new TreeSet<>(aggregation.groupKeys());
        for (AggregateCall call : aggregation.aggregates()) {
            if (call.input() >= 0) {
                used.add(call.input());
            }
        }
        if (used.size() == scan.projections().size()) {
            return scan;
        }
        int[] mapping = new int[scan.projections().size()];
        List<Expression> projections = new ArrayList<>();
        for (int index : used) {
            mapping[index] = projections.size();
            projections.add(scan.projections().get(index));
        }
        List<Integer> keys = aggregation.groupKeys().stream().map(key -> mapping[key]).toList();
        List<AggregateCall> calls = aggregation.aggregates().stream()
                .map(call -> call.input() < 0 ? call : new AggregateCall(call.function(), mapping[call.input()], call.outputType()))
                .toList();
        return scan.with(scan.filter(), projections, Optional.of(new Aggregation(keys, calls)), scan.limit(), scan.getRowType());
    }

    private static GlauxTableScan pruneColumnsOf(GlauxTableScan scan)
    {
        TreeSet<Integer> used = new TreeSet<>();
        scan.filter().ifPresent(filter -> collectInputs(filter, used));
        for (Expression projection : scan.projections()) {
            collectInputs(projection, used);
        }
        if (used.size() == scan.columns().size()) {
            return scan;
        }
        List<ColumnHandle> columns = new ArrayList<>();
        int[] mapping = new int[scan.columns().size()];
        for (int index : used) {
            mapping[index] = columns.size();
            columns.add(scan.columns().get(index));
        }
        List<Expression> projections = scan.projections().stream().map(expression -> remap(expression, mapping)).toList();
        return scan.withColumns(columns, scan.filter().map(filter -> remap(filter, mapping)), projections);
    }

    /** Adds the input columns {@code expression} reads to {@code used}. */
    static void collectInputs(Expression expression, java.util.Set<Integer> used)
    {
        switch (expression) {
            case Expression.InputRef ref -> used.add(ref.index());
            case Expression.Literal ignored -> { }
            case Expression.Call call -> call.arguments().forEach(argument -> collectInputs(argument, used));
            case Expression.FunctionCall call -> call.arguments().forEach(argument -> collectInputs(argument, used));
            case Expression.SpecialForm form -> form.arguments().forEach(argument -> collectInputs(argument, used));
        }
    }

    /** {@code expression} reading input {@code mapping[i]} where it read input {@code i}. */
    static Expression remap(Expression expression, int[] mapping)
    {
        return switch (expression) {
            case Expression.InputRef ref -> new Expression.InputRef(mapping[ref.index()], ref.type());
            case Expression.Literal literal -> literal;
            case Expression.Call call -> new Expression.Call(call.operator(), call.arguments().stream().map(argument -> remap(argument, mapping)).toList(), call.type());
            case Expression.FunctionCall call -> new Expression.FunctionCall(call.name(), call.arguments().stream().map(argument -> remap(argument, mapping)).toList(), call.type());
            case Expression.SpecialForm form -> new Expression.SpecialForm(form.form(), form.arguments().stream().map(argument -> remap(argument, mapping)).toList(), form.type());
        };
    }
}
