package io.glaux.engine.exchange;

import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.List;

/**
 * The build side of a broadcast join as it travels inside each probe task: the batches as one Arrow
 * IPC stream, and back as an operator that reads them into the task's memory.
 */
public final class BroadcastData
{
    private BroadcastData() {}

    /** {@code batches} (typed {@code types}, left open) as one Arrow IPC stream. */
    public static byte[] encode(List<VectorSchemaRoot> batches, List<Type> types, BufferAllocator allocator)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (VectorSchemaRoot root = Batches.create(types, allocator);
                ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
            VectorLoader loader = new VectorLoader(root);
            writer.start();
            for (VectorSchemaRoot batch : batches) {
                try (ArrowRecordBatch recordBatch = new VectorUnloader(batch).getRecordBatch()) {
                    loader.load(recordBatch);
                }
                writer.writeBatch();
                root.clear();
            }
            writer.end();
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot encode the build side of a broadcast join: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** The batches of {@code arrowStream}, typed {@code types}, each moved into {@code context}'s allocator. */
    public static Operator decode(byte[] arrowStream, List<Type> types, OperatorContext context)
    {
        ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(arrowStream), context.allocator());
        return new Operator()
        {
            private boolean closed;

            @Override
            public List<Type> outputTypes()
            {
                return types;
            }

            @Override
            public VectorSchemaRoot next()
            {
                try {
                    while (reader.loadNextBatch()) {
                        VectorSchemaRoot root = reader.getVectorSchemaRoot();
                        if (root.getRowCount() == 0) {
                            continue;
                        }
                        VectorSchemaRoot batch = Batches.take(root, types, context.allocator());
                        context.stats().addOutput(batch.getRowCount(), Batches.sizeInBytes(batch));
                        return batch;
                    }
                    return null;
                }
                catch (IOException e) {
                    throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot read the build side of a broadcast join: " + e.getMessage(), e);
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
                    reader.close();
                }
                catch (IOException e) {
                    // a byte array: nothing to release but buffers, which close() frees
                }
                finally {
                    context.close();
                }
            }
        };
    }
}
