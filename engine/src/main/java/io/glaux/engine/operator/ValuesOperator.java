package io.glaux.engine.operator;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.Projector;
import io.glaux.engine.expr.Selection;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.List;

/** Literal rows ({@code VALUES}, {@code SELECT 1}), computed with the same evaluators as any projection. */
public final class ValuesOperator
        implements Operator
{
    private final OperatorContext context;
    private final List<Type> types;
    private final List<List<Object>> rows;
    private int position;
    private boolean closed;

    public ValuesOperator(OperatorContext context, List<Type> types, List<List<Object>> rows)
    {
        this.context = requireNonNull(context, "context is null");
        this.types = List.copyOf(types);
        this.rows = List.copyOf(rows);
    }

    @Override
    public List<Type> outputTypes()
    {
        return types;
    }

    @Override
    public VectorSchemaRoot next()
    {
        if (position >= rows.size()) {
            return null;
        }
        List<Object> row = rows.get(position++);
        List<Expression> literals = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            literals.add(new Expression.Literal(row.get(i), types.get(i)));
        }
        // one empty input row; the projections are the literals
        try (VectorSchemaRoot single = Batches.create(List.of(), context.allocator())) {
            single.setRowCount(1);
            VectorSchemaRoot output = Projector.compile(literals, List.of()).project(single, new Selection().selectAll(1), context.allocator());
            context.stats().addOutput(1, Batches.sizeInBytes(output));
            return output;
        }
    }

    @Override
    public void close()
    {
        if (!closed) {
            closed = true;
            context.close();
        }
    }
}
