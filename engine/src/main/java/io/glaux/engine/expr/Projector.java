package io.glaux.engine.expr;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compiled projections: computes each expression for the selected rows of a batch into new Arrow
 * vectors. A projection that is just an input column is copied for the selected rows, or, when every
 * row is selected, its buffers are transferred (no copy). Compile once per fragment; one instance per
 * thread.
 */
public final class Projector
{
    private final List<Type> outputTypes;
    private final Schema schema;
    private final int[] inputColumn;
    private final PhysicalType[] physicalTypes;
    private final ValueEvaluator[] evaluators;
    /** For input columns: whether this is the last projection of that column (so it may take the buffers). */
    private final boolean[] lastUse;

    private Projector(List<Expression> projections, List<Type> inputTypes, List<String> names)
    {
        ExpressionCompiler compiler = new ExpressionCompiler(inputTypes);
        int n = projections.size();
        List<Type> types = new ArrayList<>(n);
        inputColumn = new int[n];
        physicalTypes = new PhysicalType[n];
        evaluators = new ValueEvaluator[n];
        lastUse = new boolean[n];
        Arrays.fill(inputColumn, -1);
        for (int i = 0; i < n; i++) {
            Expression projection = ConstantFolding.fold(projections.get(i));
            if (projection instanceof InputRef ref) {
                Type type = compiler.inputType(ref);
                inputColumn[i] = ref.index();
                types.add(type);
            }
            else {
                evaluators[i] = compiler.value(projection);
                types.add(projection.type());
            }
            physicalTypes[i] = PhysicalType.of(types.get(i));
        }
        for (int i = 0; i < n; i++) {
            if (inputColumn[i] >= 0) {
                lastUse[i] = true;
                for (int later = i + 1; later < n; later++) {
                    if (inputColumn[later] == inputColumn[i]) {
                        lastUse[i] = false;
                        break;
                    }
                }
            }
        }
        outputTypes = List.copyOf(types);
        schema = io.glaux.connectors.arrow.ArrowTypes.toArrowSchema(names, outputTypes);
    }

    /** Output columns named {@code c0, c1, ...}. */
    public static Projector compile(List<Expression> projections, List<Type> inputTypes)
    {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < projections.size(); i++) {
            names.add("c" + i);
        }
        return compile(projections, inputTypes, names);
    }

    public static Projector compile(List<Expression> projections, List<Type> inputTypes, List<String> names)
    {
        requireNonNull(projections, "projections is null");
        return new Projector(List.copyOf(projections), inputTypes, names);
    }

    public List<Type> outputTypes()
    {
        return outputTypes;
    }

    public Schema outputSchema()
    {
        return schema;
    }

    /** Whether every projection is an input column (no computation). */
    public boolean isIdentityLike()
    {
        for (ValueEvaluator evaluator : evaluators) {
            if (evaluator != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Computes the projections for the selected rows into a new root (the caller closes it). When
     * {@code selection.isAll()}, plain input columns are transferred out of {@code input}: afterwards
     * the input batch may only be closed.
     */
    public VectorSchemaRoot project(VectorSchemaRoot input, Selection selection, BufferAllocator allocator)
    {
        int count = selection.count();
        int[] positions = selection.positions();
        boolean transfer = selection.isAll() && count == input.getRowCount();
        List<FieldVector> vectors = new ArrayList<>(evaluators.length);
        try {
            for (int i = 0; i < evaluators.length; i++) {
                vectors.add(schema.getFields().get(i).createVector(allocator));
            }
            // computed values first, then copies, then transfers (which empty input vectors)
            for (int i = 0; i < evaluators.length; i++) {
                if (evaluators[i] != null) {
                    Block block = evaluators[i].evaluate(input, positions, count);
                    if (physicalTypes[i] == PhysicalType.OTHER) {
                        // array, map and row values
                        Nested.write(block, outputTypes.get(i), count, vectors.get(i));
                    }
                    else {
                        Vectors.write(block, physicalTypes[i], count, vectors.get(i));
                    }
                }
            }
            for (int i = 0; i < evaluators.length; i++) {
                if (evaluators[i] == null && !(transfer && lastUse[i] && sameClass(input.getVector(inputColumn[i]), vectors.get(i)))) {
                    Vectors.copy(input.getVector(inputColumn[i]), physicalTypes[i], positions, count, vectors.get(i));
                }
            }
            for (int i = 0; i < evaluators.length; i++) {
                if (evaluators[i] == null && transfer && lastUse[i] && sameClass(input.getVector(inputColumn[i]), vectors.get(i))) {
                    Vectors.transfer(input.getVector(inputColumn[i]), vectors.get(i));
                }
            }
            VectorSchemaRoot root = new VectorSchemaRoot(schema, vectors, count);
            root.setRowCount(count);
            return root;
        }
        catch (RuntimeException | Error e) {
            for (FieldVector vector : vectors) {
                vector.close();
            }
            throw e;
        }
    }

    private static boolean sameClass(FieldVector a, FieldVector b)
    {
        return a.getClass() == b.getClass();
    }
}
