package io.glaux.connectors.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.FormatRegistry;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectInfo;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.ServerSideEncryptionKms;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import okhttp3.OkHttpClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * SSE-C, SSE-KMS and plain objects on a real Ceph RGW over HTTPS: what is on RGW's disk, what Glaux
 * reads (whole, ranged, suffix-ranged; Parquet footers and column chunks; gzip JSON), and the errors for
 * a missing or wrong customer key, which never contain the key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RgwEncryptionTest
{
    private static final String BUCKET = "glaux-sse-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String KEY_ID = "logs-2026";

    private TestingRgw rgw;
    private byte[] customerKey;
    private byte[] otherKey;
    private ObjectStore plain;
    private ObjectStore keyed;
    private ObjectStore wrongKey;
    private MinioClient minio;
    private BufferAllocator allocator;

    @BeforeAll
    void setUp()
            throws Exception
    {
        rgw = TestingRgw.get();
        SecureRandom random = new SecureRandom();
        customerKey = new byte[32];
        otherKey = new byte[32];
        random.nextBytes(customerKey);
        random.nextBytes(otherKey);
        plain = new ObjectStore(rgw.config());
        plain.createBucketIfMissing(BUCKET);
        // the SSE-C key applies under s3://BUCKET/secret/ by location, and to any table naming KEY_ID
        keyed = new ObjectStore(rgw.config().withCustomerKeys(CustomerKeyProvider.of(
                Map.of(KEY_ID, customerKey), Map.of("s3://" + BUCKET + "/secret/", KEY_ID))));
        wrongKey = new ObjectStore(rgw.config().withCustomerKeys(CustomerKeyProvider.of(
                Map.of(KEY_ID, otherKey), Map.of("s3://" + BUCKET + "/secret/", KEY_ID))));
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new javax.net.ssl.TrustManager[] {rgw.trustManager()}, null);
        minio = MinioClient.builder()
                .endpoint(rgw.endpoint().toString())
                .credentials(rgw.accessKey(), rgw.secretKey())
                .httpClient(new OkHttpClient.Builder().sslSocketFactory(ssl.getSocketFactory(), rgw.trustManager()).build(), true)
                .build();
        allocator = new RootAllocator();
    }

    @AfterAll
    void tearDown()
    {
        if (keyed != null) {
            keyed.close();
            wrongKey.close();
            plain.close();
            allocator.close();
        }
    }

    @Test
    void customerKeyObjectsAreCiphertextOnDiskAndReadBackWithRanges()
            throws Exception
    {
        String secretMarker = "GLAUX-SSEC-MARKER-" + UUID.randomUUID();
        String kmsMarker = "GLAUX-SSEKMS-MARKER-" + UUID.randomUUID();
        String plainMarker = "GLAUX-PLAIN-MARKER-" + UUID.randomUUID();
        byte[] secret = payload(secretMarker);
        byte[] kms = payload(kmsMarker);
        byte[] clear = payload(plainMarker);

        keyed.put(BUCKET, "secret/markers.txt", secret);                      // SSE-C through the key provider
        minio.putObject(PutObjectArgs.builder().bucket(BUCKET).object("kms/markers.txt")
                .stream(new java.io.ByteArrayInputStream(kms), kms.length, -1)
                .sse(new ServerSideEncryptionKms(rgw.kmsKeyId(), null))
                .build());
        plain.put(BUCKET, "plain/markers.txt", clear);

        // RGW says how each object is stored
        StatObjectResponse kmsStat = minio.statObject(StatObjectArgs.builder().bucket(BUCKET).object("kms/markers.txt").build());
        assertThat(kmsStat.headers().get("x-amz-server-side-encryption")).isEqualTo("aws:kms");
        assertThatThrownBy(() -> minio.getObject(GetObjectArgs.builder().bucket(BUCKET).object("secret/markers.txt").build()).readAllBytes())
                .isInstanceOf(ErrorResponseException.class);

        // at rest: the plaintext control appears on the OSD's device (once flushed), the encrypted ones never do
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> found = rgw.markersOnDisk(List.of(plainMarker, secretMarker, kmsMarker));
        while (!found.contains(plainMarker) && System.nanoTime() < deadline) {
            found = rgw.markersOnDisk(List.of(plainMarker, secretMarker, kmsMarker));
        }
        assertThat(found).as("markers found in RGW's block device").containsExactly(plainMarker);

        // reads: whole, ranged, suffix-ranged, HEAD, for SSE-C (key sent) and SSE-KMS (nothing sent)
        for (String key : List.of("secret/markers.txt", "kms/markers.txt", "plain/markers.txt")) {
            byte[] expected = key.startsWith("secret") ? secret : key.startsWith("kms") ? kms : clear;
            assertThat(keyed.head(BUCKET, key).size()).isEqualTo(expected.length);
            assertThat(keyed.read(BUCKET, key, 0, expected.length)).isEqualTo(expected);
            assertThat(keyed.read(BUCKET, key, 70_001, 12_345)).isEqualTo(java.util.Arrays.copyOfRange(expected, 70_001, 70_001 + 12_345));
            assertThat(keyed.readTail(BUCKET, key, 1000)).isEqualTo(java.util.Arrays.copyOfRange(expected, expected.length - 1000, expected.length));
            assertThat(plain.read(BUCKET, key.replace("secret/", "kms/"), 5, 100)).hasSize(100);
        }
        // a table view naming the key id reads the SSE-C object wherever it is
        assertThat(plain.withCustomerKey(null)).isSameAs(plain);
        keyed.put(BUCKET, "secret/copy.txt", secret);
        assertThat(keyed.withCustomerKey(KEY_ID).read(BUCKET, "secret/copy.txt", 10, 20)).isEqualTo(java.util.Arrays.copyOfRange(secret, 10, 30));
    }

    @Test
    void missingOrWrongCustomerKeyIsAnErrorNamingTheObjectNotTheKey()
    {
        keyed.put(BUCKET, "secret/errors.txt", payload("errors"));

        List<GlauxException> errors = new ArrayList<>();
        errors.add(catchGlaux(() -> plain.read(BUCKET, "secret/errors.txt", 0, 100)));
        errors.add(catchGlaux(() -> plain.readTail(BUCKET, "secret/errors.txt", 100)));
        errors.add(catchGlaux(() -> plain.head(BUCKET, "secret/errors.txt")));
        errors.add(catchGlaux(() -> wrongKey.read(BUCKET, "secret/errors.txt", 0, 100)));
        errors.add(catchGlaux(() -> wrongKey.readTail(BUCKET, "secret/errors.txt", 100)));
        errors.add(catchGlaux(() -> wrongKey.head(BUCKET, "secret/errors.txt")));
        for (GlauxException error : errors) {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.ENCRYPTION_KEY_ERROR);
            assertThat(error.errorCode().category()).isEqualTo(io.glaux.spi.error.ErrorCategory.EXTERNAL);
            assertThat(error.getMessage()).contains("s3://" + BUCKET + "/secret/errors.txt");
            assertNoKeyIn(stackTrace(error));
        }
        assertThat(errors.get(0).getMessage()).contains("no key is configured");
        assertThat(errors.get(3).getMessage()).contains("rejected the SSE-C customer key 'logs-2026'");

        // a table naming a key id this node does not hold
        GlauxException unknown = catchGlaux(() -> keyed.withCustomerKey("no-such-key"));
        assertThat(unknown.errorCode()).isEqualTo(ErrorCode.ENCRYPTION_KEY_ERROR);
        assertThat(unknown.getMessage()).contains("'no-such-key'").contains("not configured on this node");
        // and the store is still healthy
        assertThat(keyed.read(BUCKET, "secret/errors.txt", 0, 6)).isEqualTo("errors".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void encryptedParquetAndGzipJsonReadLikeTheirPlaintext(@TempDir Path directory)
            throws Exception
    {
        // Parquet with several row groups, so the reader fetches the footer (suffix range) and column chunks (ranges)
        MessageType schema = MessageTypeParser.parseMessageType(
                "message t { required int64 id; optional binary msg (STRING); required double value; }");
        Path parquet = directory.resolve("data.parquet");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(parquet))
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupRowCountLimit(7_000)
                .withPageRowCountLimit(1_000)
                .build()) {
            for (int i = 0; i < 30_000; i++) {
                Group group = groups.newGroup().append("id", (long) i).append("value", i * 0.5);
                if (i % 7 != 0) {
                    group.append("msg", "message " + (i * 31 % 1000));
                }
                writer.write(group);
            }
        }
        plain.put(BUCKET, "plain/data.parquet", parquet);
        keyed.put(BUCKET, "secret/data.parquet", parquet);
        ObjectStore byId = keyed.withCustomerKey(KEY_ID);
        byId.put(BUCKET, "tables/by-id/data.parquet", parquet);       // only a table property names its key

        // gzip JSON lines
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(json); PrintWriter out = new PrintWriter(gzip, false, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 20_000; i++) {
                out.printf("{\"id\": %d, \"msg\": \"line %d\", \"value\": %d.25}%n", i, i * 17 % 500, i);
            }
        }
        plain.put(BUCKET, "plain/data.json.gz", json.toByteArray());
        keyed.put(BUCKET, "secret/data.json.gz", json.toByteArray());
        byId.put(BUCKET, "tables/by-id/data.json.gz", json.toByteArray());

        List<ColumnHandle> columns = List.of(
                new ColumnHandle("id", Type.BIGINT, ColumnHandle.Kind.REGULAR),
                new ColumnHandle("msg", Type.VARCHAR, ColumnHandle.Kind.REGULAR),
                new ColumnHandle("value", Type.DOUBLE, ColumnHandle.Kind.REGULAR));
        Map<String, String> jsonProperties = TableFormats.resolve(TableFormats.OPENX_JSON_SERDE, "", Map.of(), Map.of(), List.of("id", "msg", "value")).properties();
        Map<String, String> jsonById = TableFormats.resolve(TableFormats.OPENX_JSON_SERDE, "", Map.of(),
                Map.of(CustomerKeyProvider.TABLE_PROPERTY, KEY_ID), List.of("id", "msg", "value")).properties();
        Map<String, String> parquetById = TableFormats.resolve(TableFormats.PARQUET_SERDE, "", Map.of(),
                Map.of(CustomerKeyProvider.TABLE_PROPERTY, KEY_ID), List.of("id", "msg", "value")).properties();
        assertThat(parquetById).containsExactly(Map.entry(CustomerKeyProvider.TABLE_PROPERTY, KEY_ID));

        FormatRegistry plainFormats = FormatRegistry.standard(plain);
        FormatRegistry keyedFormats = FormatRegistry.standard(keyed);

        List<String> expectedParquet = readAll(plainFormats.factory("parquet", Map.of()), split(plain, "plain/data.parquet"), columns);
        assertThat(expectedParquet).hasSize(30_000).contains("0|null|0.0", "29999|message 969|14999.5");
        // by location rule: whole file, and two splits cutting it (row groups by their first byte)
        Split encrypted = split(keyed, "secret/data.parquet");
        assertThat(readAll(keyedFormats.factory("parquet", Map.of()), encrypted, columns)).isEqualTo(expectedParquet);
        long half = encrypted.fileSize() / 2;
        List<String> halves = new ArrayList<>(readAll(keyedFormats.factory("parquet", Map.of()),
                new Split(BUCKET, encrypted.key(), 0, half, encrypted.fileSize(), encrypted.lastModifiedMillis(), Map.of()), columns));
        halves.addAll(readAll(keyedFormats.factory("parquet", Map.of()),
                new Split(BUCKET, encrypted.key(), half, encrypted.fileSize() - half, encrypted.fileSize(), encrypted.lastModifiedMillis(), Map.of()), columns));
        assertThat(halves).isEqualTo(expectedParquet);
        // by table property naming the key id
        Split byIdSplit = split(byId, "tables/by-id/data.parquet");
        assertThat(readAll(keyedFormats.factory("parquet", parquetById), byIdSplit, columns)).isEqualTo(expectedParquet);
        // a reader without the key gets the error, not the footer the keyed reads cached
        assertThatThrownBy(() -> readAll(keyedFormats.factory("parquet", Map.of()), byIdSplit, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.ENCRYPTION_KEY_ERROR);
                    assertThat(e.getMessage()).contains("s3://" + BUCKET + "/tables/by-id/data.parquet");
                    assertNoKeyIn(stackTrace(e));
                });
        assertThatThrownBy(() -> readAll(plainFormats.factory("parquet", Map.of()), encrypted, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENCRYPTION_KEY_ERROR));

        List<String> expectedJson = readAll(plainFormats.factory("json", jsonProperties), split(plain, "plain/data.json.gz"), columns);
        assertThat(expectedJson).hasSize(20_000).contains("19999|line 483|19999.25");
        assertThat(readAll(keyedFormats.factory("json", jsonProperties), split(keyed, "secret/data.json.gz"), columns)).isEqualTo(expectedJson);
        assertThat(readAll(keyedFormats.factory("json", jsonById), split(byId, "tables/by-id/data.json.gz"), columns)).isEqualTo(expectedJson);
        assertThatThrownBy(() -> readAll(plainFormats.factory("json", jsonProperties), split(byId, "tables/by-id/data.json.gz"), columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.ENCRYPTION_KEY_ERROR);
                    assertNoKeyIn(stackTrace(e));
                });
    }

    private static Split split(ObjectStore store, String key)
    {
        ObjectInfo info = store.head(BUCKET, key);
        return new Split(BUCKET, key, 0, info.size(), info.size(), info.lastModifiedMillis(), Map.of());
    }

    private List<String> readAll(PageSourceFactory factory, Split split, List<ColumnHandle> columns)
    {
        List<String> rows = new ArrayList<>();
        try (PageSource source = factory.create(split, columns, TupleDomain.all(), allocator)) {
            while (true) {
                VectorSchemaRoot batch = source.nextBatch();
                if (batch == null) {
                    break;
                }
                try (batch) {
                    for (int row = 0; row < batch.getRowCount(); row++) {
                        StringBuilder line = new StringBuilder();
                        for (FieldVector vector : batch.getFieldVectors()) {
                            Object value = vector.getObject(row);
                            line.append(line.isEmpty() ? "" : "|").append(value instanceof Text text ? text.toString() : value);
                        }
                        rows.add(line.toString());
                    }
                }
            }
        }
        return rows;
    }

    private void assertNoKeyIn(String text)
    {
        for (byte[] key : List.of(customerKey, otherKey)) {
            assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(key));
            assertThat(text.toLowerCase(java.util.Locale.ROOT)).doesNotContain(HexFormat.of().formatHex(key));
            try {
                assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(key)));
            }
            catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String stackTrace(Throwable error)
    {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out + "\n" + error;
    }

    private static GlauxException catchGlaux(Runnable action)
    {
        try {
            action.run();
        }
        catch (GlauxException e) {
            return e;
        }
        throw new AssertionError("expected a GlauxException");
    }

    /** 200 KB of text with the marker near the start, in the middle and at the end. */
    private static byte[] payload(String marker)
    {
        StringBuilder text = new StringBuilder();
        int line = 0;
        while (text.length() < 200_000) {
            text.append(line % 500 == 0 ? marker : "line " + line).append('\n');
            line++;
        }
        text.append(marker);
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
