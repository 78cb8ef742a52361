package io.glaux.engine.operator;

import org.apache.arrow.vector.VectorSchemaRoot;

/** Receives output batches. The batch is valid only during the call; copy or serialize it there. */
@FunctionalInterface
public interface BatchSink
{
    void accept(VectorSchemaRoot batch);
}
