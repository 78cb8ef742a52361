package io.glaux.connectors.format;

import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import org.apache.arrow.memory.BufferAllocator;

import java.util.List;

/** Opens splits of one file format. Thread-safe. */
public interface PageSourceFactory
{
    /**
     * @param columns the columns to produce, in output order
     * @param pruning lets the reader skip row groups/pages that cannot match (exact filtering is the caller's)
     */
    PageSource create(Split split, List<ColumnHandle> columns, TupleDomain pruning, BufferAllocator allocator);
}
