package io.glaux.connectors.format;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.arrow.ConstantVectors;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Where each column of a scan gets its values in one split, for readers that decode the data columns
 * of a row format: decoded from the object, a constant (partition and hidden columns), or a copy of
 * an earlier column of the same name (a column the scan asks for twice is decoded once). Immutable.
 */
public final class ScanColumns
{
    private static final int NONE = -1;

    private final List<ColumnHandle> columns;
    /** per column: its constant value, for partition and hidden columns */
    private final Object[] constants;
    private final boolean[] constant;
    /** per column: the earlier column it copies, or {@link #NONE} */
    private final int[] aliasOf;
    private final int[] decodedPositions;
    private final boolean excludesSplit;

    private ScanColumns(List<ColumnHandle> columns, Object[] constants, boolean[] constant, int[] aliasOf, int[] decodedPositions, boolean excludesSplit)
    {
        this.columns = columns;
        this.constants = constants;
        this.constant = constant;
        this.aliasOf = aliasOf;
        this.decodedPositions = decodedPositions;
        this.excludesSplit = excludesSplit;
    }

    /**
     * The columns of a scan of {@code split}.
     *
     * @throws GlauxException {@code NOT_SUPPORTED} when a column is asked for twice with different types
     */
    public static ScanColumns of(Split split, List<ColumnHandle> columns, TupleDomain pruning)
    {
        requireNonNull(split, "split is null");
        List<ColumnHandle> scanColumns = List.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(pruning, "pruning is null");
        int count = scanColumns.size();
        Object[] constants = new Object[count];
        boolean[] constant = new boolean[count];
        int[] aliasOf = new int[count];
        List<Integer> decoded = new ArrayList<>();
        boolean excludesSplit = false;
        Map<String, String> partitionValues = SplitColumns.partitionValues(split);
        Map<String, Integer> firstUse = new HashMap<>();
        for (int i = 0; i < count; i++) {
            ColumnHandle column = scanColumns.get(i);
            aliasOf[i] = NONE;
            if (column.kind() != ColumnHandle.Kind.REGULAR) {
                constant[i] = true;
                constants[i] = SplitColumns.constantValue(split, partitionValues, column);
                excludesSplit |= !SplitColumns.constantMayMatch(pruning, column, constants[i]);
                continue;
            }
            Integer first = firstUse.putIfAbsent(column.name().toLowerCase(Locale.ROOT), i);
            if (first != null) {
                if (!scanColumns.get(first).type().equals(column.type())) {
                    throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Column '%s' is requested twice with different types (%s, %s)"
                            .formatted(column.name(), scanColumns.get(first).type().trinoName(), column.type().trinoName()));
                }
                aliasOf[i] = first;
                continue;
            }
            decoded.add(i);
        }
        return new ScanColumns(scanColumns, constants, constant, aliasOf, decoded.stream().mapToInt(Integer::intValue).toArray(), excludesSplit);
    }

    /**
     * A new batch of {@code schema} that {@code reader} fills, returning its row count; null when it
     * has no rows. The batch is closed when it is not returned (no rows, or the reader failed).
     */
    public static VectorSchemaRoot readBatch(Schema schema, BufferAllocator allocator, ToIntFunction<VectorSchemaRoot> reader)
    {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        try {
            if (reader.applyAsInt(root) == 0) {
                root.close();
                return null;
            }
            return root;
        }
        catch (RuntimeException | Error e) {
            root.close();
            throw e;
        }
    }

    /** Whether a constant column excludes every row of the split: then the object need not be read. */
    public boolean excludesSplit()
    {
        return excludesSplit;
    }

    /** The positions, among the scan's columns, of those decoded from the object, in order. */
    public int[] decodedPositions()
    {
        return decodedPositions.clone();
    }

    /** The columns decoded from the object, in order. */
    public List<ColumnHandle> decodedColumns()
    {
        List<ColumnHandle> decoded = new ArrayList<>(decodedPositions.length);
        for (int position : decodedPositions) {
            decoded.add(columns.get(position));
        }
        return decoded;
    }

    /**
     * Completes a batch of {@code rows} rows whose decoded columns are written: sets their value
     * counts, fills the constant columns, copies the repeated ones and sets the row count.
     */
    public void complete(VectorSchemaRoot root, int rows)
    {
        for (int i = 0; i < columns.size(); i++) {
            if (constant[i]) {
                ConstantVectors.fill(root.getVector(i), columns.get(i).type(), constants[i], rows);
            }
            else if (aliasOf[i] == NONE) {
                root.getVector(i).setValueCount(rows);
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (aliasOf[i] != NONE) {
                ConstantVectors.copy(root.getVector(aliasOf[i]), root.getVector(i), rows);
            }
        }
        root.setRowCount(rows);
    }
}
