package io.glaux.engine.operator.aggregation;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.operator.Batches;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Spills a hash aggregation's groups as intermediate states (the PARTIAL output layout) into Arrow
 * IPC stream files, one per partition and spill round; a group's partition is the top bits of its
 * key hash, so every state of one group lands in the same partition and the partitions can be
 * re-aggregated one at a time. Files are deleted once read, and all of them on {@link #close()}.
 */
final class AggregationSpiller
        implements AutoCloseable
{
    static final int PARTITION_BITS = 4;
    static final int PARTITIONS = 1 << PARTITION_BITS;

    private final Path directory;
    private final List<Type> types;
    private final Schema schema;
    private final BufferAllocator allocator;
    private final int batchRows;
    private final List<List<Path>> files = new ArrayList<>();
    private long spilledBytes;

    AggregationSpiller(Path directory, List<Type> types, BufferAllocator allocator, int batchRows)
    {
        this.directory = requireNonNull(directory, "directory is null");
        this.types = List.copyOf(types);
        this.schema = Batches.schema(this.types);
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.batchRows = batchRows;
        for (int p = 0; p < PARTITIONS; p++) {
            files.add(new ArrayList<>());
        }
    }

    static int partition(long hash)
    {
        return (int) (hash >>> (64 - PARTITION_BITS));
    }

    long spilledBytes()
    {
        return spilledBytes;
    }

    /** Writes every group of {@code builder} (intermediate states) to the partitions' files. */
    void spill(HashAggregationBuilder builder)
    {
        int groups = builder.groupCount();
        if (groups == 0) {
            return;
        }
        FileChannel[] channels = new FileChannel[PARTITIONS];
        WriteChannel[] writers = new WriteChannel[PARTITIONS];
        int[][] positions = new int[PARTITIONS][batchRows];
        int[] counts = new int[PARTITIONS];
        try {
            for (int from = 0; from < groups; from += batchRows) {
                int count = Math.min(batchRows, groups - from);
                java.util.Arrays.fill(counts, 0);
                for (int i = 0; i < count; i++) {
                    int p = partition(builder.groupHash(from + i));
                    positions[p][counts[p]++] = i;
                }
                try (VectorSchemaRoot batch = builder.build(from, count, true, allocator)) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        if (counts[p] == 0) {
                            continue;
                        }
                        if (writers[p] == null) {
                            Path file = Files.createTempFile(directory, "glaux-agg-p" + p + "-", ".arrow");
                            files.get(p).add(file);
                            channels[p] = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                            writers[p] = new WriteChannel(channels[p]);
                            MessageSerializer.serialize(writers[p], schema);
                        }
                        try (VectorSchemaRoot part = Batches.copyRows(batch, types, positions[p], counts[p], allocator);
                                ArrowRecordBatch record = new VectorUnloader(part).getRecordBatch()) {
                            MessageSerializer.serialize(writers[p], record);
                        }
                    }
                }
            }
            for (int p = 0; p < PARTITIONS; p++) {
                if (writers[p] != null) {
                    ArrowStreamWriter.writeEndOfStream(writers[p], IpcOption.DEFAULT);
                    spilledBytes += writers[p].getCurrentPosition();
                }
            }
        }
        catch (IOException e) {
            throw spillError(e);
        }
        finally {
            for (FileChannel channel : channels) {
                if (channel != null) {
                    try {
                        channel.close();
                    }
                    catch (IOException ignored) {
                        // the file is deleted on close
                    }
                }
            }
        }
    }

    /** Reads every batch spilled to {@code partition} (each valid during the call), then deletes its files. */
    void read(int partition, Consumer<VectorSchemaRoot> consumer)
    {
        List<Path> paths = files.get(partition);
        try {
            for (Path path : paths) {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
                        ArrowStreamReader reader = new ArrowStreamReader(channel, allocator)) {
                    while (reader.loadNextBatch()) {
                        consumer.accept(reader.getVectorSchemaRoot());
                    }
                }
            }
        }
        catch (IOException e) {
            throw spillError(e);
        }
        finally {
            delete(paths);
        }
    }

    private static GlauxException spillError(IOException e)
    {
        return new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Aggregation spill failed: " + e.getMessage(), e);
    }

    private static void delete(List<Path> paths)
    {
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        paths.clear();
    }

    @Override
    public void close()
    {
        for (List<Path> paths : files) {
            delete(paths);
        }
    }
}
