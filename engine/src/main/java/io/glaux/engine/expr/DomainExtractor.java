package io.glaux.engine.expr;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.type.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Derives the {@link TupleDomain} a reader may use to skip data from a filter over a scan's columns.
 * Understands top-level AND-ed conjuncts of the forms {@code column op literal} (either side),
 * {@code column IN (literals)}, {@code column IS [NOT] NULL}, and ORs (and nested ANDs) of those on one
 * column. Any other conjunct is ignored (it constrains nothing), so the result is always implied by the
 * filter. A conjunct that no row can pass (e.g. {@code x = NULL}, {@code FALSE}) gives
 * {@link TupleDomain#nothing()}. Keys are the columns' lower-case names.
 */
public final class DomainExtractor
{
    private static final double TWO_TO_63 = 9.223372036854775808E18;

    private final List<ColumnHandle> columns;

    private DomainExtractor(List<ColumnHandle> columns)
    {
        this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }

    public static TupleDomain extract(Optional<Expression> filter, List<ColumnHandle> columns)
    {
        return filter.map(f -> extract(f, columns)).orElse(TupleDomain.all());
    }

    public static TupleDomain extract(Expression filter, List<ColumnHandle> columns)
    {
        DomainExtractor extractor = new DomainExtractor(columns);
        List<Expression> conjuncts = new ArrayList<>();
        flattenAnd(filter, conjuncts);
        Map<String, Domain> domains = new HashMap<>();
        for (Expression conjunct : conjuncts) {
            if (conjunct instanceof Literal literal && SqlTypes.isBoolean(literal.type()) && !Boolean.TRUE.equals(literal.value())) {
                return TupleDomain.nothing();
            }
            ColumnDomain domain = extractor.domain(conjunct);
            if (domain != null) {
                domains.merge(domain.column(), domain.domain(), DomainExtractor::intersect);
            }
        }
        for (Domain domain : domains.values()) {
            if (isNone(domain)) {
                return TupleDomain.nothing();
            }
        }
        return new TupleDomain(domains, false);
    }

    private record ColumnDomain(String column, Domain domain) {}

    private static void flattenAnd(Expression expression, List<Expression> out)
    {
        if (expression instanceof Call call && call.operator() == Operator.AND) {
            for (Expression argument : call.arguments()) {
                flattenAnd(argument, out);
            }
        }
        else {
            out.add(expression);
        }
    }

    /** The domain of one column implied by the expression, or null when it implies none usable. */
    private ColumnDomain domain(Expression expression)
    {
        if (!(expression instanceof Call call)) {
            return null;
        }
        List<Expression> args = call.arguments();
        return switch (call.operator()) {
            case EQUAL, NOT_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
                if (args.size() != 2) {
                    yield null;
                }
                if (args.get(0) instanceof InputRef ref && args.get(1) instanceof Literal literal) {
                    yield comparison(call.operator(), ref, literal);
                }
                if (args.get(1) instanceof InputRef ref && args.get(0) instanceof Literal literal) {
                    yield comparison(ComparisonEvaluators.flip(call.operator()), ref, literal);
                }
                yield null;
            }
            case IS_NULL, IS_NOT_NULL -> {
                if (args.size() == 1 && args.getFirst() instanceof InputRef ref && column(ref) != null) {
                    yield new ColumnDomain(name(ref), call.operator() == Operator.IS_NULL ? Domain.onlyNull() : Domain.notNull());
                }
                yield null;
            }
            case IN -> in(args);
            case OR -> {
                ColumnDomain union = null;
                for (Expression argument : args) {
                    ColumnDomain part = domain(argument);
                    if (part == null || (union != null && !union.column().equals(part.column()))) {
                        yield null;
                    }
                    union = union == null ? part : new ColumnDomain(part.column(), union(union.domain(), part.domain()));
                }
                yield union;
            }
            case AND -> {
                // inside an OR: the conjuncts on one column; unusable conjuncts are dropped (weaker, still implied)
                ColumnDomain intersection = null;
                for (Expression argument : args) {
                    ColumnDomain part = domain(argument);
                    if (part == null) {
                        continue;
                    }
                    if (intersection != null && !intersection.column().equals(part.column())) {
                        yield null;
                    }
                    intersection = intersection == null ? part : new ColumnDomain(part.column(), intersect(intersection.domain(), part.domain()));
                }
                yield intersection;
            }
            default -> null;
        };
    }

    private ColumnHandle column(InputRef ref)
    {
        if (ref.index() < 0 || ref.index() >= columns.size()) {
            return null;
        }
        return columns.get(ref.index());
    }

    private String name(InputRef ref)
    {
        return columns.get(ref.index()).name().toLowerCase(Locale.ROOT);
    }

    private ColumnDomain comparison(Operator operator, InputRef ref, Literal literal)
    {
        ColumnHandle column = column(ref);
        if (column == null) {
            return null;
        }
        if (literal.value() == null) {
            return new ColumnDomain(name(ref), new Domain(List.of(), false));
        }
        Comparable<?> value = toColumnValue(column.type(), literal);
        if (value == null) {
            return null;
        }
        Comparable<?> low = value;
        Comparable<?> high = value;
        if (value instanceof Double d && d == 0) {
            // -0.0 = 0.0 in SQL but not in Double.compareTo: widen the bound
            low = -0.0;
            high = 0.0;
        }
        List<Range> ranges = switch (operator) {
            case EQUAL -> List.of(new Range(low, true, high, true));
            case NOT_EQUAL -> List.of(new Range(null, false, high, false), new Range(low, false, null, false));
            case LESS_THAN -> List.of(new Range(null, false, high, false));
            case LESS_THAN_OR_EQUAL -> List.of(new Range(null, false, high, true));
            case GREATER_THAN -> List.of(new Range(low, false, null, false));
            case GREATER_THAN_OR_EQUAL -> List.of(new Range(low, true, null, false));
            default -> null;
        };
        if (ranges == null) {
            return null;
        }
        if (operator == Operator.NOT_EQUAL && value instanceof Double d && d == 0) {
            // x <> 0.0 excludes -0.0 as well; keep it simple and constrain only NULLs
            ranges = List.of(Range.all());
        }
        return new ColumnDomain(name(ref), new Domain(ranges, false));
    }

    private ColumnDomain in(List<Expression> args)
    {
        if (args.size() < 2 || !(args.getFirst() instanceof InputRef ref) || column(ref) == null) {
            return null;
        }
        Type type = column(ref).type();
        List<Range> ranges = new ArrayList<>();
        for (Expression item : args.subList(1, args.size())) {
            if (!(item instanceof Literal literal)) {
                return null;
            }
            if (literal.value() == null) {
                continue;
            }
            Comparable<?> value = toColumnValue(type, literal);
            if (value == null) {
                // not representable in the column's type (e.g. 2.5 for an integer): matches nothing,
                // unless conversion is simply unsupported
                if (representable(type, literal)) {
                    continue;
                }
                return null;
            }
            ranges.add(value instanceof Double d && d == 0 ? new Range(-0.0, true, 0.0, true) : Range.equal(value));
        }
        return new ColumnDomain(name(ref), new Domain(ranges, false));
    }

    /** Whether the literal's type is one we can reason about for the column (the value may still not fit). */
    private static boolean representable(Type column, Literal literal)
    {
        return SqlTypes.isIntegral(column) && SqlTypes.isFloating(literal.type());
    }

    /**
     * The literal in the column's Java representation (Long, Double, String, Boolean), or null when
     * the types do not match or the value has no exact equivalent.
     */
    private static Comparable<?> toColumnValue(Type column, Literal literal)
    {
        Type type = literal.type();
        Object value = literal.value();
        if (SqlTypes.isIntegral(column) && SqlTypes.isNumeric(type)) {
            if (SqlTypes.isFloating(type)) {
                double d = ((Number) value).doubleValue();
                if (d == Math.rint(d) && d >= -TWO_TO_63 && d < TWO_TO_63) {
                    return (long) d;
                }
                return null;
            }
            return ((Number) value).longValue();
        }
        if (SqlTypes.isFloating(column) && SqlTypes.isNumeric(type)) {
            double d = ((Number) value).doubleValue();
            return Double.isNaN(d) ? null : d;
        }
        if ((SqlTypes.isDate(column) && SqlTypes.isDate(type)) || (SqlTypes.isTimestamp(column) && SqlTypes.isTimestamp(type))) {
            return ((Number) value).longValue();
        }
        if (SqlTypes.isVarchar(column) && SqlTypes.isVarchar(type) && value instanceof String s) {
            return s;
        }
        if (SqlTypes.isBoolean(column) && SqlTypes.isBoolean(type) && value instanceof Boolean b) {
            return b;
        }
        return null;
    }

    static boolean isNone(Domain domain)
    {
        return domain.ranges().isEmpty() && !domain.nullAllowed();
    }

    static Domain union(Domain a, Domain b)
    {
        List<Range> ranges = new ArrayList<>(a.ranges());
        ranges.addAll(b.ranges());
        return new Domain(ranges, a.nullAllowed() || b.nullAllowed());
    }

    static Domain intersect(Domain a, Domain b)
    {
        List<Range> ranges = new ArrayList<>();
        for (Range x : a.ranges()) {
            for (Range y : b.ranges()) {
                Range range = intersect(x, y);
                if (range != null) {
                    ranges.add(range);
                }
            }
        }
        return new Domain(ranges, a.nullAllowed() && b.nullAllowed());
    }

    private static Range intersect(Range x, Range y)
    {
        Comparable<?> low;
        boolean lowInclusive;
        if (x.low() == null) {
            low = y.low();
            lowInclusive = y.lowInclusive();
        }
        else if (y.low() == null) {
            low = x.low();
            lowInclusive = x.lowInclusive();
        }
        else {
            int c = compare(x.low(), y.low());
            low = c >= 0 ? x.low() : y.low();
            lowInclusive = c > 0 ? x.lowInclusive() : c < 0 ? y.lowInclusive() : x.lowInclusive() && y.lowInclusive();
        }
        Comparable<?> high;
        boolean highInclusive;
        if (x.high() == null) {
            high = y.high();
            highInclusive = y.highInclusive();
        }
        else if (y.high() == null) {
            high = x.high();
            highInclusive = x.highInclusive();
        }
        else {
            int c = compare(x.high(), y.high());
            high = c <= 0 ? x.high() : y.high();
            highInclusive = c < 0 ? x.highInclusive() : c > 0 ? y.highInclusive() : x.highInclusive() && y.highInclusive();
        }
        if (low != null && high != null) {
            int c = compare(low, high);
            if (c > 0 || (c == 0 && !(lowInclusive && highInclusive))) {
                return null;
            }
        }
        return new Range(low, lowInclusive, high, highInclusive);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Comparable a, Comparable b)
    {
        if (a.getClass() != b.getClass()) {
            throw new IllegalArgumentException("cannot compare " + a.getClass().getSimpleName() + " with " + b.getClass().getSimpleName());
        }
        return a.compareTo(b);
    }
}
