package io.glaux.connectors.line;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectInfo;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.TestingS3;
import io.glaux.connectors.split.Split;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture for line-oriented formats: an in-process S3Proxy with one bucket, objects written from
 * strings or bytes, and scans that collect rows as plain Java values (varchar → String, timestamp →
 * LocalDateTime, date → days as Integer, varbinary → byte[], array → List, row → Map, map → List of
 * {key, value} Maps). Every scan's batches are closed; {@link #close()} fails on leaked Arrow memory.
 */
public final class LineFiles
        implements AutoCloseable
{
    public static final String BUCKET = "line-test";

    private final TestingS3 s3;
    private final ObjectStore store;
    private final BufferAllocator allocator = new RootAllocator();

    public LineFiles()
            throws Exception
    {
        s3 = new TestingS3();
        store = s3.newStore();
        store.createBucketIfMissing(BUCKET);
    }

    public ObjectStore store()
    {
        return store;
    }

    public BufferAllocator allocator()
    {
        return allocator;
    }

    public Split put(String key, String content)
    {
        return put(key, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes an object and returns one split covering all of it. */
    public Split put(String key, byte[] content)
    {
        store.put(BUCKET, key, content);
        ObjectInfo info = store.head(BUCKET, key);
        return new Split(BUCKET, key, 0, info.size(), info.size(), info.lastModifiedMillis(), Map.of());
    }

    public static ColumnHandle regular(String name, Type type)
    {
        return new ColumnHandle(name, type, ColumnHandle.Kind.REGULAR);
    }

    /** All rows of a split. */
    public List<List<Object>> read(PageSourceFactory factory, Split split, List<ColumnHandle> columns)
    {
        return read(factory, split, columns, TupleDomain.all());
    }

    public List<List<Object>> read(PageSourceFactory factory, Split split, List<ColumnHandle> columns, TupleDomain pruning)
    {
        List<List<Object>> rows = new ArrayList<>();
        try (PageSource source = factory.create(split, columns, pruning, allocator)) {
            while (true) {
                VectorSchemaRoot batch = source.nextBatch();
                if (batch == null) {
                    break;
                }
                try (batch) {
                    assertThat(batch.getRowCount()).isPositive();
                    for (int row = 0; row < batch.getRowCount(); row++) {
                        List<Object> values = new ArrayList<>();
                        for (FieldVector vector : batch.getFieldVectors()) {
                            assertThat(vector.getValueCount()).isEqualTo(batch.getRowCount());
                            values.add(plain(vector.getObject(row)));
                        }
                        rows.add(values);
                    }
                }
            }
            assertThat(source.rowsRead()).isEqualTo(rows.size());
        }
        return rows;
    }

    /** Rows as strings ("a|1|null"), for compact assertions. */
    public List<String> readLines(PageSourceFactory factory, Split split, List<ColumnHandle> columns)
    {
        return read(factory, split, columns).stream().map(LineFiles::joined).toList();
    }

    public static String joined(List<Object> row)
    {
        List<String> parts = new ArrayList<>();
        for (Object value : row) {
            parts.add(value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value));
        }
        return String.join("|", parts);
    }

    public static List<Object> row(Object... values)
    {
        return Arrays.asList(values);
    }

    static Object plain(Object value)
    {
        return switch (value) {
            case null -> null;
            case Text text -> text.toString();
            case List<?> list -> list.stream().map(LineFiles::plain).toList();
            case Map<?, ?> map -> {
                Map<Object, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(plain(k), plain(v)));
                yield copy;
            }
            case LocalDateTime dateTime -> dateTime;
            case BigDecimal decimal -> decimal;
            default -> value;
        };
    }

    @Override
    public void close()
            throws java.io.IOException
    {
        store.close();
        s3.close();
        allocator.close();
    }
}
