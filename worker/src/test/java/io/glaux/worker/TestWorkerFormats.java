package io.glaux.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectInfo;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.ObjectStoreConfig;
import io.glaux.connectors.split.Split;
import io.glaux.engine.exchange.RemoteTaskStream;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.engine.exchange.WorkerClient;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.fragment.ScanFragment;
import io.glaux.engine.fragment.Task;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * A worker started as in production ({@link WorkerMain#start(Properties)}) reads text, CSV and JSON
 * objects from a real S3Proxy by each task's format and format properties, over mutual-TLS Flight.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestWorkerFormats
{
    private static final String BUCKET = "formats";

    @TempDir
    Path dir;

    private S3Proxy proxy;
    private ObjectStore store;
    private WorkerMain.Handle worker;
    private BufferAllocator allocator;
    private WorkerClient client;

    @BeforeEach
    void setUp()
            throws Exception
    {
        Path blobs = Files.createDirectories(dir.resolve("s3"));
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(blobs.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret-key")
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        store = new ObjectStore(ObjectStoreConfig.of(endpoint, "access", "secret-key"));
        store.createBucketIfMissing(BUCKET);

        Properties properties = new Properties();
        properties.setProperty("node.id", "worker-formats");
        properties.setProperty("node.data-dir", dir.resolve("data").toString());
        properties.setProperty("tls.dir", dir.resolve("tls").toString());
        properties.setProperty("task.concurrency", "2");
        properties.setProperty("s3.endpoint", endpoint.toString());
        properties.setProperty("s3.access-key", "access");
        properties.setProperty("s3.secret-key", "secret-key");
        worker = WorkerMain.start(properties);
        allocator = new RootAllocator();
        TlsMaterial coordinatorTls = TlsMaterial.loadOrCreate(dir.resolve("tls"), "coordinator", List.of());
        client = new WorkerClient(worker.flightUri(), coordinatorTls, allocator, worker.nodeId());
    }

    @AfterEach
    void tearDown()
            throws Exception
    {
        client.close();
        worker.close();
        allocator.close();
        store.close();
        proxy.stop();
    }

    private Split put(String key, byte[] content)
    {
        store.put(BUCKET, key, content);
        ObjectInfo info = store.head(BUCKET, key);
        return new Split(BUCKET, key, 0, info.size(), info.size(), info.lastModifiedMillis(), Map.of());
    }

    private static byte[] gzip(String... members)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String member : members) {
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(one)) {
                gzip.write(member.getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes(one.toByteArray());
        }
        return out.toByteArray();
    }

    private static Task task(String queryId, String format, Map<String, String> properties, List<ColumnHandle> columns, List<Split> splits)
    {
        List<Expression> projections = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            projections.add(new Expression.InputRef(i, columns.get(i).type()));
        }
        ScanFragment fragment = new ScanFragment("logs.events", format, properties, columns, Optional.empty(), projections,
                Optional.empty(), TupleDomain.all(), OptionalLong.empty());
        return new Task(queryId, 1, fragment, splits);
    }

    private List<String> rows(Task task)
    {
        List<String> rows = new ArrayList<>();
        try (RemoteTaskStream stream = client.execute(task)) {
            while (stream.next()) {
                for (int row = 0; row < stream.root().getRowCount(); row++) {
                    List<String> values = new ArrayList<>();
                    for (FieldVector vector : stream.root().getFieldVectors()) {
                        values.add(String.valueOf(vector.getObject(row)));
                    }
                    rows.add(String.join("|", values));
                }
            }
        }
        rows.sort(null);
        return rows;
    }

    @Test
    void readsEachTaskInItsFormat()
            throws IOException
    {
        List<ColumnHandle> columns = List.of(
                new ColumnHandle("id", Type.BIGINT, ColumnHandle.Kind.REGULAR),
                new ColumnHandle("msg", Type.VARCHAR, ColumnHandle.Kind.REGULAR));

        Split json = put("json/a.json.gz", gzip("{\"id\": 1, \"MSG\": \"one\"}\n", "not json\n{\"id\": 2, \"msg\": \"two\"}\n"));
        Map<String, String> jsonProperties = Map.of(TableFormats.JSON_SERDE, "openx", "ignore.malformed.json", "true", TableFormats.COLUMNS, "id,msg");
        assertThat(rows(task("q1", "json", jsonProperties, columns, List.of(json)))).containsExactly("1|one", "2|two", "null|null");

        Split csv = put("csv/a.csv", "id,msg\n\"3\",\"three, quoted\"\n4,four\n".getBytes(StandardCharsets.UTF_8));
        Map<String, String> csvProperties = Map.of(TableFormats.COLUMNS, "id,msg", "skip.header.line.count", "1");
        assertThat(rows(task("q2", "csv", csvProperties, columns, List.of(csv)))).containsExactly("3|three, quoted", "4|four");

        Split text = put("text/a.tsv", "5\tfive\n\\N\tsix\n".getBytes(StandardCharsets.UTF_8));
        Map<String, String> textProperties = Map.of(TableFormats.COLUMNS, "id,msg", "field.delim", "\t");
        assertThat(rows(task("q3", "text", textProperties, columns, List.of(text)))).containsExactly("5|five", "null|six");
    }

    @Test
    void badDataReachesTheCallerWithTheObjectAndLine()
    {
        Split json = put("bad/a.json", "{\"id\": 1}\n{\"id\": \"x\"}\n".getBytes(StandardCharsets.UTF_8));
        List<ColumnHandle> columns = List.of(new ColumnHandle("id", Type.BIGINT, ColumnHandle.Kind.REGULAR));
        GlauxException failure = catchThrowableOfType(GlauxException.class,
                () -> rows(task("q4", "json", Map.of(TableFormats.COLUMNS, "id"), columns, List.of(json))));
        assertThat(failure.errorCode()).isEqualTo(ErrorCode.BAD_DATA);
        assertThat(failure.getMessage()).isEqualTo("Malformed JSON data in s3://formats/bad/a.json at line 2 (byte offset 10): cannot read string \"x\" as bigint for column 'id'");

        GlauxException unsupported = catchThrowableOfType(GlauxException.class,
                () -> rows(task("q5", "orc", Map.of(), columns, List.of(json))));
        assertThat(unsupported.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED);
        assertThat(unsupported.getMessage()).isEqualTo("File format 'orc' is not supported (supported: cloudtrail, csv, grok, json, parquet, regex, text)");
    }
}
