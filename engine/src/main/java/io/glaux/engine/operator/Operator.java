package io.glaux.engine.operator;

import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * A physical operator: a pull-based stream of Arrow batches. A consumer calls {@link #next()} until it
 * returns {@code null}; an operator pulls from its sources as it needs to. Every batch's columns are
 * positional and typed as {@link #outputTypes()} (Arrow vectors as {@link io.glaux.connectors.arrow.ArrowTypes}
 * maps them; field names do not matter).
 *
 * <p>Ownership: a batch returned by {@code next()} belongs to the caller, who closes it (or hands it
 * on). An operator that keeps a batch beyond the call that received it (a hash-join build side, a sort
 * buffer) first moves its buffers to its own allocator with {@link Batches#transfer}, so each
 * operator's allocator accounts for what it holds. Operators allocate only from
 * {@link OperatorContext#allocator()} and report heap structures (hash tables, arrays) with
 * {@link OperatorContext#setHeapBytes}; both count against the query's memory limit.
 *
 * <p>{@code next()} may block (a remote source waiting for data) and must return promptly once the
 * query is cancelled: long loops call {@link OperatorContext#checkCancelled()}. One thread drives an
 * operator tree; operators are not thread-safe. {@link #close()} closes the sources too, releases
 * everything (also when called before the end, or after a failure) and is idempotent.
 */
public interface Operator
        extends AutoCloseable
{
    List<Type> outputTypes();

    /** The next batch (at least one row), or {@code null} when there are no more. */
    VectorSchemaRoot next();

    @Override
    void close();
}
