package io.glaux.engine.operator;

import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.Vectors;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;

/** Creating, moving and copying the Arrow batches operators exchange (columns {@code c0..}). */
public final class Batches
{
    private Batches() {}

    /** The schema of a batch with these column types: fields {@code c0, c1, ...}. */
    public static Schema schema(List<Type> types)
    {
        List<String> names = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            names.add("c" + i);
        }
        return ArrowTypes.toArrowSchema(names, types);
    }

    /** A new, empty batch (no buffers allocated yet) with these column types. */
    public static VectorSchemaRoot create(List<Type> types, BufferAllocator allocator)
    {
        return VectorSchemaRoot.create(schema(types), allocator);
    }

    /**
     * Moves {@code batch}'s buffers into a new batch owned by {@code allocator} (no copy) and closes
     * {@code batch}. Use it before keeping a batch that another operator allocated.
     */
    public static VectorSchemaRoot transfer(VectorSchemaRoot batch, BufferAllocator allocator)
    {
        try (batch) {
            List<FieldVector> vectors = new ArrayList<>(batch.getFieldVectors().size());
            for (FieldVector vector : batch.getFieldVectors()) {
                var pair = vector.getTransferPair(allocator);
                pair.transfer();
                vectors.add((FieldVector) pair.getTo());
            }
            VectorSchemaRoot moved = new VectorSchemaRoot(batch.getSchema().getFields(), vectors, batch.getRowCount());
            return moved;
        }
    }

    /**
     * Moves {@code batch}'s buffers into a new batch owned by {@code allocator} (no copy), leaving
     * {@code batch} open with empty vectors: for a batch its producer reuses (a Flight stream's root).
     */
    public static VectorSchemaRoot take(VectorSchemaRoot batch, List<Type> types, BufferAllocator allocator)
    {
        VectorSchemaRoot out = create(types, allocator);
        try {
            for (int column = 0; column < types.size(); column++) {
                FieldVector source = batch.getVector(column);
                FieldVector target = out.getVector(column);
                if (source.getClass() == target.getClass()) {
                    source.makeTransferPair(target).transfer();
                }
                else {
                    // same SQL type, other Arrow class (cannot happen for batches built from the same types)
                    throw new IllegalStateException("column " + column + " is " + source.getClass().getSimpleName() + ", expected " + target.getClass().getSimpleName());
                }
            }
            out.setRowCount(batch.getRowCount());
            return out;
        }
        catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    /** A new batch in {@code allocator} holding rows {@code positions[0..count)} of {@code batch}, in that order. */
    public static VectorSchemaRoot copyRows(VectorSchemaRoot batch, List<Type> types, int[] positions, int count, BufferAllocator allocator)
    {
        VectorSchemaRoot out = create(types, allocator);
        try {
            for (int column = 0; column < types.size(); column++) {
                Vectors.copy(batch.getVector(column), PhysicalType.of(types.get(column)), positions, count, out.getVector(column));
            }
            out.setRowCount(count);
            return out;
        }
        catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    /** Bytes held by a batch's buffers. */
    public static long sizeInBytes(VectorSchemaRoot batch)
    {
        long bytes = 0;
        for (FieldVector vector : batch.getFieldVectors()) {
            bytes += vector.getBufferSize();
        }
        return bytes;
    }
}
