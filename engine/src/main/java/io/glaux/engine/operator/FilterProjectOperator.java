package io.glaux.engine.operator;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.FilterEvaluator;
import io.glaux.engine.expr.Projector;
import io.glaux.engine.expr.Selection;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Filters and projects its source's batches: the filter yields a selection vector, the projections are
 * computed for the selected rows only (plain columns of a fully selected batch are moved, not copied).
 * Batches with no selected row are skipped.
 */
public final class FilterProjectOperator
        implements Operator
{
    private final OperatorContext context;
    private final Operator source;
    private final FilterEvaluator filter;
    private final Projector projector;
    private final Selection allRows = new Selection();
    private boolean closed;

    /** @param projections empty: pass the source's columns through */
    public FilterProjectOperator(OperatorContext context, Operator source, Optional<Expression> filter, Optional<List<Expression>> projections)
    {
        this.context = requireNonNull(context, "context is null");
        this.source = requireNonNull(source, "source is null");
        List<Type> inputTypes = source.outputTypes();
        this.filter = filter.map(predicate -> FilterEvaluator.compile(predicate, inputTypes)).orElse(null);
        this.projector = Projector.compile(projections.orElseGet(() -> identity(inputTypes)), inputTypes);
    }

    private static List<Expression> identity(List<Type> types)
    {
        List<Expression> refs = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            refs.add(new Expression.InputRef(i, types.get(i)));
        }
        return refs;
    }

    @Override
    public List<Type> outputTypes()
    {
        return projector.outputTypes();
    }

    @Override
    public VectorSchemaRoot next()
    {
        while (true) {
            context.checkCancelled();
            VectorSchemaRoot input = source.next();
            if (input == null) {
                return null;
            }
            long start = System.nanoTime();
            try (input) {
                context.stats().addInput(input.getRowCount());
                Selection selection = filter == null ? allRows.selectAll(input.getRowCount()) : filter.filter(input);
                if (selection.count() == 0) {
                    continue;
                }
                VectorSchemaRoot output = projector.project(input, selection, context.allocator());
                context.stats().addOutput(output.getRowCount(), Batches.sizeInBytes(output));
                return output;
            }
            finally {
                context.stats().addWallNanos(System.nanoTime() - start);
            }
        }
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            source.close();
        }
        finally {
            context.close();
        }
    }
}
