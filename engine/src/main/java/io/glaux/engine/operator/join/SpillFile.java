package io.glaux.engine.operator.join;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One partition of a spilled join side: rows appended in batches to an Arrow IPC stream file, then
 * read back once as an {@link Operator}. The file is deleted when the reader (or this object, if
 * never read) is closed.
 */
final class SpillFile
        implements AutoCloseable
{
    private final OperatorContext context;
    private final Path path;
    private final List<Type> types;
    private VectorSchemaRoot root;
    private ArrowStreamWriter writer;
    private long rows;
    private boolean finished;
    private boolean handedOff;

    SpillFile(OperatorContext context, Path path, List<Type> types)
    {
        this.context = requireNonNull(context, "context is null");
        this.path = requireNonNull(path, "path is null");
        this.types = List.copyOf(types);
    }

    long rows()
    {
        return rows;
    }

    /** Appends rows {@code addresses[0..count)} (see {@link JoinGather}) of the batch with these vectors. */
    void write(FieldVector[] columns, long[] addresses, int count)
    {
        if (count == 0) {
            return;
        }
        try {
            if (writer == null) {
                root = Batches.create(types, context.allocator());
                FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                writer = new ArrowStreamWriter(root, null, channel);
                writer.start();
            }
            FieldVector[] source = new FieldVector[1];
            for (int c = 0; c < columns.length; c++) {
                source[0] = columns[c];
                JoinGather.gather(source, addresses, count, root.getVector(c));
            }
            root.setRowCount(count);
            long before = writer.bytesWritten();
            writer.writeBatch();
            context.addSpilledBytes(writer.bytesWritten() - before);
            rows += count;
            root.clear();
        }
        catch (IOException e) {
            throw spillFailure(e);
        }
    }

    /** Ends the file; no more writes. */
    void finish()
    {
        if (finished) {
            return;
        }
        finished = true;
        if (writer != null) {
            try {
                writer.end();
                writer.close();
            }
            catch (IOException e) {
                throw spillFailure(e);
            }
            finally {
                writer = null;
                root.close();
                root = null;
            }
        }
    }

    /** The rows written, as batches owned by the caller; closing the operator deletes the file. */
    Operator reader()
    {
        finish();
        handedOff = true;
        return new Reader();
    }

    private GlauxException spillFailure(IOException e)
    {
        return new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, context.name() + ": cannot spill to " + path + ": " + e.getMessage(), e);
    }

    private void delete()
    {
        try {
            Files.deleteIfExists(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close()
    {
        if (writer != null) {
            try {
                writer.close();
            }
            catch (RuntimeException e) {
                // the file is deleted below anyway
            }
            writer = null;
        }
        if (root != null) {
            root.close();
            root = null;
        }
        if (!handedOff) {
            delete();
        }
    }

    private final class Reader
            implements Operator
    {
        private ArrowStreamReader reader;
        private boolean closed;

        @Override
        public List<Type> outputTypes()
        {
            return types;
        }

        @Override
        public VectorSchemaRoot next()
        {
            if (closed) {
                throw new IllegalStateException("spill reader is closed");
            }
            if (rows == 0) {
                return null;
            }
            try {
                if (reader == null) {
                    reader = new ArrowStreamReader(FileChannel.open(path, StandardOpenOption.READ), context.allocator());
                }
                if (!reader.loadNextBatch()) {
                    return null;
                }
                VectorSchemaRoot loaded = reader.getVectorSchemaRoot();
                List<FieldVector> vectors = new ArrayList<>(types.size());
                for (FieldVector vector : loaded.getFieldVectors()) {
                    var pair = vector.getTransferPair(context.allocator());
                    pair.transfer();
                    vectors.add((FieldVector) pair.getTo());
                }
                return new VectorSchemaRoot(loaded.getSchema().getFields(), vectors, loaded.getRowCount());
            }
            catch (IOException e) {
                throw spillFailure(e);
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
                if (reader != null) {
                    reader.close();
                }
            }
            catch (IOException e) {
                throw spillFailure(e);
            }
            finally {
                delete();
            }
        }
    }
}
