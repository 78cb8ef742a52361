package io.glaux.coordinator.execution;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.SplitColumns;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.S3Location;
import io.glaux.connectors.split.SplitEnumerator.Location;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Narrows what a scan lists with its filter on the hidden {@code "$path"} column:
 * {@code "$path" = 's3://b/t/dt=1/f.parquet'} (or {@code IN (...)}) names the objects to read, which
 * are stat'ed one by one instead of listing their locations; {@code "$path" LIKE 's3://b/t/dt=1/%'}
 * lists only the keys under the pattern's literal prefix. Paths outside every location the scan
 * reads (the table's, or the partitions left after pruning) are dropped, and so are locations no
 * path can lie in. The filter itself still runs on the workers, so narrowing only ever saves requests.
 */
final class PathFilter
{
    private static final String SCHEME = "s3://";

    private PathFilter() {}

    static List<Location> narrow(List<Location> locations, TupleDomain domain, Optional<Expression> filter, List<ColumnHandle> columns)
    {
        requireNonNull(locations, "locations is null");
        Optional<Set<String>> paths = Optional.ofNullable(domain.domains().get(SplitColumns.PATH_COLUMN)).flatMap(PathFilter::paths);
        if (paths.isPresent()) {
            return named(locations, paths.get());
        }
        Optional<String> prefix = filter.flatMap(f -> likePrefix(f, columns));
        if (prefix.isPresent()) {
            return prefixed(locations, prefix.get());
        }
        return locations;
    }

    private static List<Location> named(List<Location> locations, Set<String> paths)
    {
        List<Location> narrowed = new ArrayList<>();
        for (Location location : locations) {
            S3Location directory = S3Location.parse(location.location()).asDirectory();
            String inside = SCHEME + directory.bucket() + "/" + directory.key();
            List<String> keys = new ArrayList<>();
            for (String path : paths) {
                if (path.startsWith(inside) && path.length() > inside.length()) {
                    keys.add(path.substring(SCHEME.length() + directory.bucket().length() + 1));
                }
            }
            if (!keys.isEmpty()) {
                narrowed.add(location.withKeys(keys));
            }
        }
        return narrowed;
    }

    private static List<Location> prefixed(List<Location> locations, String prefix)
    {
        List<Location> narrowed = new ArrayList<>();
        for (Location location : locations) {
            S3Location directory = S3Location.parse(location.location()).asDirectory();
            String inside = SCHEME + directory.bucket() + "/" + directory.key();
            if (prefix.startsWith(inside)) {
                narrowed.add(location.withKeyPrefix(prefix.substring(SCHEME.length() + directory.bucket().length() + 1)));
            }
            else if (inside.startsWith(prefix)) {
                narrowed.add(location);
            }
        }
        return narrowed;
    }

    /** The paths a domain allows when it is a set of single values, all s3:// paths with a key. */
    private static Optional<Set<String>> paths(Domain domain)
    {
        Set<String> paths = new TreeSet<>();
        for (Range range : domain.ranges()) {
            if (range.low() == null || !range.low().equals(range.high()) || !range.lowInclusive() || !range.highInclusive()) {
                return Optional.empty();
            }
            paths.add(range.low().toString());
        }
        if (domain.ranges().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(paths);
    }

    /** The literal prefix of a top-level {@code "$path" LIKE 's3://...'} conjunct, when there is one. */
    private static Optional<String> likePrefix(Expression filter, List<ColumnHandle> columns)
    {
        List<Expression> conjuncts = new ArrayList<>();
        flattenAnd(filter, conjuncts);
        String best = null;
        for (Expression conjunct : conjuncts) {
            if (!(conjunct instanceof Call call) || call.operator() != Operator.LIKE || call.arguments().size() != 2
                    || !(call.arguments().get(0) instanceof InputRef ref) || !(call.arguments().get(1) instanceof Literal pattern)
                    || pattern.value() == null || ref.index() >= columns.size()) {
                continue;
            }
            ColumnHandle column = columns.get(ref.index());
            if (column.kind() != ColumnHandle.Kind.HIDDEN || !column.name().equals(SplitColumns.PATH_COLUMN)) {
                continue;
            }
            String text = pattern.value().toString();
            int wildcard = 0;
            while (wildcard < text.length() && text.charAt(wildcard) != '%' && text.charAt(wildcard) != '_') {
                wildcard++;
            }
            String prefix = text.substring(0, wildcard);
            int bucketEnd = prefix.indexOf('/', SCHEME.length());
            if (prefix.startsWith(SCHEME) && bucketEnd > SCHEME.length() && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return Optional.ofNullable(best);
    }

    private static void flattenAnd(Expression expression, List<Expression> out)
    {
        if (expression instanceof Call call && call.operator() == Operator.AND) {
            call.arguments().forEach(argument -> flattenAnd(argument, out));
        }
        else {
            out.add(expression);
        }
    }
}
