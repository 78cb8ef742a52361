package io.glaux.engine.plan;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.memory.DataSize;
import io.glaux.engine.operator.OperatorStats;
import io.glaux.spi.type.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a plan as text in the shape of Trino's EXPLAIN: one line per node with its arguments, the
 * children below it drawn with {@code └─}, and, for EXPLAIN ANALYZE, what each operator did (rows,
 * bytes, wall time, peak memory). Column references print as {@code #i} (the i-th input column).
 */
public final class PlanPrinter
{
    private final Map<PlanNodeId, OperatorStats> stats;
    private final StringBuilder out = new StringBuilder();

    private PlanPrinter(Map<PlanNodeId, OperatorStats> stats)
    {
        this.stats = Map.copyOf(stats);
    }

    /** The tree under {@code root}, each line indented by {@code indent}. */
    public static String print(PlanNode root, Map<PlanNodeId, OperatorStats> stats, String indent)
    {
        PlanPrinter printer = new PlanPrinter(stats);
        printer.node(root, indent, indent);
        return printer.out.toString();
    }

    private void node(PlanNode node, String firstPrefix, String prefix)
    {
        out.append(firstPrefix).append(describe(node)).append('\n');
        List<PlanNode> sources = node.sources();
        String detailPrefix = prefix + (sources.isEmpty() ? "    " : "│   ");
        out.append(detailPrefix).append("Layout: ").append(layout(node.outputTypes())).append('\n');
        OperatorStats operator = stats.get(node.id());
        if (operator != null) {
            out.append(detailPrefix).append(String.format(Locale.ROOT, "Wall: %s, Input: %,d rows, Output: %,d rows (%s), Peak memory: %s",
                    duration(operator.wallNanos()), operator.inputRows(), operator.outputRows(), DataSize.format(operator.outputBytes()),
                    DataSize.format(operator.peakMemoryBytes())));
            if (operator.spilledBytes() > 0) {
                out.append(", Spilled: ").append(DataSize.format(operator.spilledBytes()));
            }
            out.append('\n');
        }
        for (int i = 0; i < sources.size(); i++) {
            boolean last = i == sources.size() - 1;
            node(sources.get(i), prefix + (last ? "└─ " : "├─ "), prefix + (last ? "   " : "│  "));
        }
    }

    private static String describe(PlanNode node)
    {
        return switch (node) {
            case PlanNode.TableScan scan -> "TableScan[table = " + scan.table() + ", columns = " + scan.columns().stream().map(c -> c.name()).toList() + "]";
            case PlanNode.Filter filter -> "Filter[predicate = " + expression(filter.predicate()) + "]";
            case PlanNode.Project project -> "Project[" + expressions(project.projections()) + "]";
            case PlanNode.Aggregate aggregate -> "Aggregate[type = " + aggregate.step() + ", keys = " + refs(aggregate.groupKeys())
                    + (aggregate.groupingSets().isEmpty() ? "" : ", groupingSets = " + aggregate.groupingSets())
                    + ", aggregates = " + aggregate.aggregates().stream().map(PlanPrinter::aggregate).toList() + "]";
            case PlanNode.Join join -> "Join[type = " + join.type() + ", criteria = " + criteria(join.leftKeys(), join.rightKeys(), join.left().outputTypes().size())
                    + join.residual().map(residual -> ", filter = " + expression(residual)).orElse("") + ", distribution = " + join.distribution()
                    + join.outputColumns().map(columns -> ", outputs = " + refs(columns)).orElse("") + "]";
            case PlanNode.NestedLoopJoin join -> "NestedLoopJoin[type = " + join.type() + join.condition().map(c -> ", filter = " + expression(c)).orElse("") + "]";
            case PlanNode.Sort sort -> "Sort[orderBy = " + sortKeys(sort.keys()) + "]";
            case PlanNode.TopN topN -> "TopN" + (topN.step() == PlanNode.Step.PARTIAL ? "Partial" : "") + "[count = " + topN.count() + ", orderBy = " + sortKeys(topN.keys()) + "]";
            case PlanNode.Limit limit -> "Limit" + (limit.partial() ? "Partial" : "") + "[count = " + (limit.count() == Long.MAX_VALUE ? "all" : limit.count())
                    + (limit.offset() > 0 ? ", offset = " + limit.offset() : "") + "]";
            case PlanNode.Window window -> "Window[partitionBy = " + refs(window.partitionKeys()) + ", orderBy = " + sortKeys(window.orderKeys())
                    + ", functions = " + window.functions().stream().map(f -> f.name() + "(" + refs(f.arguments()).replaceAll("[\\[\\]]", "") + ")").toList() + "]";
            case PlanNode.Values values -> "Values[rows = " + values.rows().size() + "]";
            case PlanNode.Union ignored -> "Union";
            case PlanNode.SetOperation setOperation -> setOperation.kind() + (setOperation.all() ? " ALL" : "");
            case PlanNode.Unnest unnest -> "Unnest[replicate = " + refs(unnest.replicate()) + ", unnest = " + refs(unnest.unnestColumns())
                    + (unnest.ordinality() ? ", ordinality" : "") + "]";
            case PlanNode.Exchange exchange -> "Exchange[type = " + exchange.type() + (exchange.partitionKeys().isEmpty() ? "" : ", keys = " + refs(exchange.partitionKeys())) + "]";
            case PlanNode.RemoteSource remote -> "RemoteSource[sourceFragmentIds = " + remote.sourceStages()
                    + (remote.exchangeType() == PlanNode.ExchangeType.GATHER ? "" : ", type = " + remote.exchangeType()) + "]";
        };
    }

    public static String layout(List<Type> types)
    {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            columns.add("#" + i + ":" + types.get(i).trinoName());
        }
        return "[" + String.join(", ", columns) + "]";
    }

    private static String refs(List<Integer> columns)
    {
        return columns.stream().map(column -> "#" + column).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String criteria(List<Integer> left, List<Integer> right, int leftWidth)
    {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < left.size(); i++) {
            pairs.add("#" + left.get(i) + " = #" + (leftWidth + right.get(i)));
        }
        return "(" + String.join(" AND ", pairs) + ")";
    }

    private static String sortKeys(List<SortKey> keys)
    {
        return keys.stream().map(key -> "#" + key.column() + (key.ascending() ? " ASC" : " DESC") + (key.nullsFirst() ? " NULLS FIRST" : " NULLS LAST"))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** {@code count(*)}, {@code max_by(#1, #2)}, {@code sum(#3) FILTER (#4)}. */
    public static String aggregate(AggregateCall call)
    {
        String arguments = call.inputs().isEmpty() ? "*" : call.inputs().stream().map(input -> "#" + input).collect(Collectors.joining(", "));
        return call.function().name().toLowerCase(Locale.ROOT) + "(" + arguments + ")" + (call.filter() < 0 ? "" : " FILTER (#" + call.filter() + ")");
    }

    public static String expressions(List<Expression> expressions)
    {
        return expressions.stream().map(PlanPrinter::expression).collect(Collectors.joining(", "));
    }

    /** An expression in SQL-like text. */
    public static String expression(Expression expression)
    {
        return switch (expression) {
            case Expression.InputRef ref -> "#" + ref.index();
            case Expression.Literal literal -> literal(literal);
            case Expression.Call call -> call(call);
            case Expression.FunctionCall call -> call.name() + "(" + expressions(call.arguments()) + ")";
            case Expression.SpecialForm form -> form.form().name().toLowerCase(Locale.ROOT) + "(" + expressions(form.arguments()) + ")";
        };
    }

    private static String literal(Expression.Literal literal)
    {
        if (literal.value() == null) {
            return "NULL";
        }
        if (literal.value() instanceof String text) {
            return "'" + text.replace("'", "''") + "'";
        }
        return literal.value().toString();
    }

    private static String call(Expression.Call call)
    {
        List<String> args = call.arguments().stream().map(PlanPrinter::expression).toList();
        String infix = switch (call.operator()) {
            case EQUAL -> " = ";
            case NOT_EQUAL -> " <> ";
            case LESS_THAN -> " < ";
            case LESS_THAN_OR_EQUAL -> " <= ";
            case GREATER_THAN -> " > ";
            case GREATER_THAN_OR_EQUAL -> " >= ";
            case AND -> " AND ";
            case OR -> " OR ";
            case ADD -> " + ";
            case SUBTRACT -> " - ";
            case MULTIPLY -> " * ";
            case DIVIDE -> " / ";
            case MODULUS -> " % ";
            default -> null;
        };
        if (infix != null) {
            return "(" + String.join(infix, args) + ")";
        }
        return switch (call.operator()) {
            case NOT -> "(NOT " + args.getFirst() + ")";
            case NEGATE -> "(-" + args.getFirst() + ")";
            case IS_NULL -> "(" + args.getFirst() + " IS NULL)";
            case IS_NOT_NULL -> "(" + args.getFirst() + " IS NOT NULL)";
            case IN -> "(" + args.getFirst() + " IN (" + String.join(", ", args.subList(1, args.size())) + "))";
            case LIKE -> "(" + args.getFirst() + " LIKE " + args.get(1) + (args.size() > 2 ? " ESCAPE " + args.get(2) : "") + ")";
            case CAST -> "CAST(" + args.getFirst() + " AS " + call.type().trinoName() + ")";
            default -> call.operator().name().toLowerCase(Locale.ROOT) + "(" + String.join(", ", args) + ")";
        };
    }

    public static String duration(long nanos)
    {
        if (nanos >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
        }
        if (nanos >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2fus", nanos / 1e3);
    }
}
