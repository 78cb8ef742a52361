package io.glaux.connectors.s3;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.sse.CustomerKey;
import io.glaux.connectors.sse.CustomerKeyProvider;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import io.minio.messages.Item;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An S3-compatible object store reached with the MinIO client over a bounded OkHttp connection pool,
 * with path-style addressing. Thread-safe; share one instance per endpoint and close it at shutdown.
 *
 * <p>Failures are {@link GlauxException}s naming {@code s3://bucket/key} (and the byte offset for reads):
 * {@code OBJECT_STORE_ACCESS_DENIED} for rejected credentials (403, InvalidAccessKeyId,
 * SignatureDoesNotMatch, AccessDenied), {@code OBJECT_NOT_FOUND} for a missing key or bucket, and
 * {@code OBJECT_STORE_ERROR} for everything else. I/O errors, timeouts, short reads and 5xx answers are
 * retried up to {@link ObjectStoreConfig#maxRetries()} times with exponential backoff; 4xx answers are
 * not retried. Messages never contain the credentials.
 *
 * <p>SSE-C: every GET (ranged or suffix), HEAD and PUT of an object for which the node's
 * {@link CustomerKeyProvider} has a key (by location, or for a table view made by
 * {@link #withCustomerKey}) carries the SSE-C headers; the MinIO client refuses to send them over plain
 * HTTP. SSE-S3 and SSE-KMS objects need nothing on reads. A missing or rejected customer key is
 * {@code ENCRYPTION_KEY_ERROR} naming the object and the key id. No exception of the MinIO client is
 * kept as a cause, because their {@code toString()} prints the request headers (the customer key among them).
 */
public final class ObjectStore
        implements AutoCloseable
{
    private static final Set<String> ACCESS_DENIED_CODES = Set.of(
            "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
            "AllAccessDisabled", "AccountProblem", "InvalidSecurity");
    private static final Set<String> NOT_FOUND_CODES = Set.of("NoSuchKey", "NoSuchBucket", "NotFound", "NoSuchObject");
    private static final Set<String> RETRYABLE_CODES = Set.of(
            "InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "Throttling", "ThrottlingException");
    private static final long BASE_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2_000;
    private static final int LIST_PAGE_SIZE = 1000;

    private final ObjectStore root;
    private final CustomerKeyProvider customerKeys;
    private final CustomerKey tableKey;
    private final URI endpoint;
    private final int maxRetries;
    private final OkHttpClient httpClient;
    private final MinioClient client;
    /** For GETs: waiting on its future lets an interrupted reader still close the response when it arrives. */
    private final MinioAsyncClient asyncClient;
    private final Semaphore inFlight;
    private volatile boolean closed;

    private final LongAdder requests;
    private final LongAdder getRequests;
    private final LongAdder headRequests;
    private final LongAdder listRequests;
    private final LongAdder putRequests;
    private final LongAdder retries;
    private final LongAdder bytesRead;
    private final LongAdder bytesWritten;

    public ObjectStore(ObjectStoreConfig config)
    {
        requireNonNull(config, "config is null");
        this.root = this;
        this.customerKeys = config.customerKeys();
        this.tableKey = null;
        this.requests = new LongAdder();
        this.getRequests = new LongAdder();
        this.headRequests = new LongAdder();
        this.listRequests = new LongAdder();
        this.putRequests = new LongAdder();
        this.retries = new LongAdder();
        this.bytesRead = new LongAdder();
        this.bytesWritten = new LongAdder();
        this.endpoint = config.endpoint();
        this.maxRetries = config.maxRetries();
        this.inFlight = new Semaphore(config.maxConnections());

        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(config.maxConnections());
        dispatcher.setMaxRequestsPerHost(config.maxConnections());
        OkHttpClient.Builder http = new OkHttpClient.Builder();
        config.trustedCaFile().ifPresent(caFile -> trust(http, caFile));
        this.httpClient = http
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(config.maxConnections(), 2, TimeUnit.MINUTES))
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .addInterceptor(chain -> {
                    count(chain.request());
                    return chain.proceed(chain.request());
                })
                .build();
        HttpUrl url = new HttpUrl.Builder()
                .scheme(config.endpoint().getScheme().toLowerCase(java.util.Locale.ROOT))
                .host(config.endpoint().getHost())
                .port(config.endpoint().getPort() > 0 ? config.endpoint().getPort() : HttpUrl.defaultPort(config.endpoint().getScheme().toLowerCase(java.util.Locale.ROOT)))
                .build();
        this.client = MinioClient.builder()
                .endpoint(url)
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .httpClient(httpClient, false)
                .build();
        this.client.disableVirtualStyleEndpoint();
        this.asyncClient = MinioAsyncClient.builder()
                .endpoint(url)
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .httpClient(httpClient, false)
                .build();
        this.asyncClient.disableVirtualStyleEndpoint();
    }

    /** A view of {@code parent} that sends {@code tableKey} with every object request. */
    private ObjectStore(ObjectStore parent, CustomerKey tableKey)
    {
        this.root = parent.root;
        this.customerKeys = parent.customerKeys;
        this.tableKey = tableKey;
        this.endpoint = parent.endpoint;
        this.maxRetries = parent.maxRetries;
        this.httpClient = parent.httpClient;
        this.client = parent.client;
        this.asyncClient = parent.asyncClient;
        this.inFlight = parent.inFlight;
        this.requests = parent.requests;
        this.getRequests = parent.getRequests;
        this.headRequests = parent.headRequests;
        this.listRequests = parent.listRequests;
        this.putRequests = parent.putRequests;
        this.retries = parent.retries;
        this.bytesRead = parent.bytesRead;
        this.bytesWritten = parent.bytesWritten;
    }

    /**
     * This store, sending the SSE-C key with id {@code keyId} (from this node's key provider) with every
     * object request, whatever the location rules say: the reader of a table whose
     * {@value CustomerKeyProvider#TABLE_PROPERTY} property names that key. Shares connections and
     * statistics with this store; closing the view does nothing. An empty or null id gives this store.
     *
     * @throws GlauxException {@code ENCRYPTION_KEY_ERROR} when this node has no key with that id
     */
    public ObjectStore withCustomerKey(String keyId)
    {
        if (keyId == null || keyId.isBlank()) {
            return this;
        }
        CustomerKey key = customerKeys.byId(keyId.strip(), "The table property '%s'".formatted(CustomerKeyProvider.TABLE_PROPERTY));
        if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
            throw new GlauxException(ErrorCode.ENCRYPTION_KEY_ERROR,
                    "SSE-C key '%s' cannot be used: the object store endpoint %s is not https".formatted(keyId, endpoint));
        }
        return new ObjectStore(this, key);
    }

    /** The customer key sent with requests for {@code s3://bucket/key}, if any. */
    public Optional<CustomerKey> customerKey(String bucket, String key)
    {
        if (tableKey != null) {
            return Optional.of(tableKey);
        }
        return customerKeys.forObject(bucket, key);
    }

    /**
     * What cached data of {@code s3://bucket/key} must be keyed by besides the object: the identity
     * (never the value) of the customer key it is read with, or "" for none. A reader without the right key
     * then never sees what a reader with it cached.
     */
    public String keyIdentity(String bucket, String key)
    {
        return customerKey(bucket, key).map(CustomerKey::identity).orElse("");
    }

    private static void trust(OkHttpClient.Builder http, Path caFile)
    {
        try {
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            int index = 0;
            try (var in = Files.newInputStream(caFile)) {
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trustStore.setCertificateEntry("ca-" + index++, certificate);
                }
            }
            if (index == 0) {
                throw new IllegalArgumentException("no PEM certificate in the object store CA file " + caFile);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            X509TrustManager trustManager = (X509TrustManager) factory.getTrustManagers()[0];
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
            http.sslSocketFactory(context.getSocketFactory(), trustManager);
        }
        catch (IllegalArgumentException e) {
            throw e;
        }
        catch (Exception e) {
            throw new IllegalArgumentException("cannot read the object store CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    private void count(Request request)
    {
        requests.increment();
        switch (request.method()) {
            case "HEAD" -> headRequests.increment();
            case "PUT", "POST" -> putRequests.increment();
            case "GET" -> {
                // path style: /bucket (listing or bucket operation) vs /bucket/key (object)
                List<String> segments = request.url().pathSegments();
                boolean objectRequest = segments.size() > 1 && !(segments.size() == 2 && segments.get(1).isEmpty());
                if (objectRequest) {
                    getRequests.increment();
                }
                else {
                    listRequests.increment();
                }
            }
            default -> { }
        }
    }

    public URI endpoint()
    {
        return endpoint;
    }

    public ObjectStoreStats stats()
    {
        return new ObjectStoreStats(requests.sum(), getRequests.sum(), headRequests.sum(), listRequests.sum(),
                putRequests.sum(), retries.sum(), bytesRead.sum(), bytesWritten.sum());
    }

    /** Parses {@code s3://bucket/key}. */
    public static S3Location parse(String location)
    {
        return S3Location.parse(location);
    }

    // ------------------------------------------------------------------ listing

    /**
     * Every object under {@code prefix} (recursively), in key order, fetched page by page as the stream
     * is consumed. A page that fails with a retryable error is requested again from the last key seen.
     * "Directory" entries (common prefixes) are not returned; zero-byte keys ending in '/' are.
     */
    public Stream<ObjectInfo> list(String bucket, String prefix)
    {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(listIterator(bucket, prefix),
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
    }

    /** Like {@link #list} as an iterator. */
    public Iterator<ObjectInfo> listIterator(String bucket, String prefix)
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        checkOpen();
        return new ListingIterator(bucket, prefix);
    }

    /**
     * The "subdirectories" directly under {@code prefix} (listing with delimiter '/'): full key prefixes
     * ending in '/', e.g. {@code logs/dt=2024-01-01/} for prefix {@code logs/}.
     */
    public List<String> listPrefixes(String bucket, String prefix)
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        checkOpen();
        return withRetries("list", bucket, prefix, -1, () -> {
            List<String> prefixes = new ArrayList<>();
            Iterable<Result<Item>> results = client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .recursive(false)
                    .maxKeys(LIST_PAGE_SIZE)
                    .build());
            for (Result<Item> result : results) {
                Item item = result.get();
                if (item.isDir()) {
                    prefixes.add(item.objectName());
                }
            }
            return prefixes;
        });
    }

    private final class ListingIterator
            implements Iterator<ObjectInfo>
    {
        private final String bucket;
        private final String prefix;
        private Iterator<Result<Item>> page;
        private String lastKey;
        private ObjectInfo next;
        private boolean done;
        private int failures;

        ListingIterator(String bucket, String prefix)
        {
            this.bucket = bucket;
            this.prefix = prefix;
        }

        private Iterator<Result<Item>> open()
        {
            ListObjectsArgs.Builder args = ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .recursive(true)
                    .maxKeys(LIST_PAGE_SIZE);
            if (lastKey != null) {
                args.startAfter(lastKey);
            }
            return client.listObjects(args.build()).iterator();
        }

        @Override
        public boolean hasNext()
        {
            while (next == null && !done) {
                checkOpen();
                try {
                    if (page == null) {
                        page = open();
                    }
                    if (!page.hasNext()) {
                        done = true;
                        break;
                    }
                    Item item = page.next().get();
                    failures = 0;
                    if (item.isDir() || item.isDeleteMarker()) {
                        continue;
                    }
                    lastKey = item.objectName();
                    long modified = item.lastModified() == null ? 0 : item.lastModified().toInstant().toEpochMilli();
                    next = new ObjectInfo(item.objectName(), item.size(), modified);
                }
                catch (Exception e) {
                    page = null;
                    if (!isRetryable(e) || failures >= maxRetries) {
                        done = true;
                        throw translate(e, "list", bucket, prefix, -1);
                    }
                    backoff(failures++);
                }
            }
            return next != null;
        }

        @Override
        public ObjectInfo next()
        {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ObjectInfo result = next;
            next = null;
            return result;
        }
    }

    // ------------------------------------------------------------------ metadata

    /** Size and last-modified time of one object; {@code OBJECT_NOT_FOUND} when there is none. */
    public ObjectInfo head(String bucket, String key)
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        checkOpen();
        return withRetries("read", bucket, key, -1, () -> {
            StatObjectArgs.Builder args = StatObjectArgs.builder().bucket(bucket).object(key);
            customerKey(bucket, key).ifPresent(customerKey -> args.ssec(customerKey.headers()));
            StatObjectResponse stat = client.statObject(args.build());
            long modified = stat.lastModified() == null ? 0 : stat.lastModified().toInstant().toEpochMilli();
            return new ObjectInfo(key, stat.size(), modified);
        });
    }

    // ------------------------------------------------------------------ reads

    /**
     * Exactly {@code length} bytes from {@code offset} (a ranged GET). Fewer bytes than asked for is an
     * error naming the object and offset.
     */
    public byte[] read(String bucket, String key, long offset, int length)
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length);
        }
        if (length == 0) {
            return new byte[0];
        }
        checkOpen();
        return withRetries("read", bucket, key, offset, () -> {
            ConnectionPermit permit = new ConnectionPermit();
            try (GetObjectResponse response = getObject(withKey(GetObjectArgs.builder()
                    .bucket(bucket)
                    .object(key)
                    .offset(offset)
                    .length((long) length), bucket, key)
                    .build(), permit)) {
                byte[] data = response.readNBytes(length);
                bytesRead.add(data.length);
                if (data.length < length) {
                    long objectSize = totalSize(response.headers().get("Content-Range"));
                    if (objectSize >= 0 && objectSize < offset + length) {
                        throw new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Short read from %s at offset %d: asked for %d bytes, but the object is %d bytes long (was it overwritten or truncated?)"
                                .formatted(path(bucket, key), offset, length, objectSize));
                    }
                    throw new ShortReadException("short read from %s at offset %d: expected %d bytes, got %d"
                            .formatted(path(bucket, key), offset, length, data.length));
                }
                return data;
            }
            finally {
                permit.close();
            }
        });
    }

    /**
     * The last {@code length} bytes of an object with one suffix-range GET ({@code Range: bytes=-length});
     * the whole object when it is shorter. An empty object gives an empty array.
     */
    public byte[] readTail(String bucket, String key, int length)
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        if (length <= 0 || length > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("bad tail length: " + length);
        }
        checkOpen();
        return withRetries("read", bucket, key, -1, () -> {
            ConnectionPermit permit = new ConnectionPermit();
            try (GetObjectResponse response = getObject(withKey(GetObjectArgs.builder()
                    .bucket(bucket)
                    .object(key)
                    .extraHeaders(Map.of("Range", "bytes=-" + length)), bucket, key)
                    .build(), permit)) {
                String contentRange = response.headers().get("Content-Range");
                if (contentRange == null) {
                    // 200 instead of 206: the whole object. Fine when it is not longer than asked for;
                    // otherwise the server ignored the Range header and sent the head of the object.
                    byte[] whole = response.readNBytes(length + 1);
                    bytesRead.add(whole.length);
                    if (whole.length > length) {
                        throw new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "The object store at %s ignored the suffix range 'bytes=-%d' when reading %s"
                                .formatted(endpoint, length, path(bucket, key)));
                    }
                    return whole;
                }
                long objectSize = totalSize(contentRange);
                byte[] data = response.readNBytes(length);
                bytesRead.add(data.length);
                if (objectSize >= 0 && data.length < Math.min(length, objectSize)) {
                    throw new ShortReadException("short read of the tail of %s: expected %d bytes, got %d"
                            .formatted(path(bucket, key), Math.min(length, objectSize), data.length));
                }
                return data;
            }
            catch (ErrorResponseException e) {
                if ("InvalidRange".equals(e.errorResponse().code())) {
                    // a suffix range of an empty object
                    return new byte[0];
                }
                throw e;
            }
            finally {
                permit.close();
            }
        });
    }

    /**
     * Reads several ranges of one object with parallel GETs (one virtual thread each, bounded by the
     * connection limit). The result is in the order of {@code ranges}. The first failure cancels the rest.
     */
    public List<byte[]> readRanges(String bucket, String key, List<ByteRange> ranges)
    {
        requireNonNull(ranges, "ranges is null");
        for (ByteRange range : ranges) {
            if (range.length() > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("range too large for one read: " + range);
            }
        }
        if (ranges.size() == 1) {
            ByteRange range = ranges.getFirst();
            return List.of(read(bucket, key, range.offset(), (int) range.length()));
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> futures = new ArrayList<>(ranges.size());
            for (ByteRange range : ranges) {
                futures.add(executor.submit(() -> read(bucket, key, range.offset(), (int) range.length())));
            }
            List<byte[]> results = new ArrayList<>(ranges.size());
            try {
                for (Future<byte[]> future : futures) {
                    results.add(future.get());
                }
            }
            catch (InterruptedException e) {
                futures.forEach(future -> future.cancel(true));
                Thread.currentThread().interrupt();
                throw new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Interrupted while reading " + path(bucket, key), e);
            }
            catch (ExecutionException e) {
                futures.forEach(future -> future.cancel(true));
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw translate(e.getCause(), "read", bucket, key, -1);
            }
            return results;
        }
    }

    // ------------------------------------------------------------------ writes

    /** Uploads a local file (multipart when large). */
    public void put(String bucket, String key, Path file)
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        requireNonNull(file, "file is null");
        checkOpen();
        withRetries("write", bucket, key, -1, () -> {
            long size = Files.size(file);
            UploadObjectArgs.Builder args = UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString());
            customerKey(bucket, key).ifPresent(customerKey -> args.sse(customerKey.headers()));
            client.uploadObject(args.build());
            bytesWritten.add(size);
            return null;
        });
    }

    public void put(String bucket, String key, byte[] data)
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        requireNonNull(data, "data is null");
        checkOpen();
        withRetries("write", bucket, key, -1, () -> {
            PutObjectArgs.Builder args = PutObjectArgs.builder()
                    .bucket(bucket)
                    .object(key)
                    .stream(new ByteArrayInputStream(data), data.length, -1);
            customerKey(bucket, key).ifPresent(customerKey -> args.sse(customerKey.headers()));
            client.putObject(args.build());
            bytesWritten.add(data.length);
            return null;
        });
    }

    public void delete(String bucket, String key)
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        checkOpen();
        withRetries("delete", bucket, key, -1, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    public void createBucketIfMissing(String bucket)
    {
        requireNonNull(bucket, "bucket is null");
        checkOpen();
        withRetries("create", bucket, "", -1, () -> {
            if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                return null;
            }
            try {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            catch (ErrorResponseException e) {
                String code = e.errorResponse().code();
                if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                    throw e;
                }
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ plumbing

    /**
     * One of the {@code s3.max-connections} permits for a GET. A GET whose reader is interrupted while
     * the request is in flight hands its permit to the abandoned response ({@link #handOff}): the permit
     * is returned only once that response arrived and was closed, so the connections in use never
     * exceed the limit.
     */
    private final class ConnectionPermit
            implements AutoCloseable
    {
        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean handedOff;

        ConnectionPermit()
                throws InterruptedException
        {
            inFlight.acquire();
        }

        void handOff()
        {
            handedOff = true;
        }

        void release()
        {
            if (released.compareAndSet(false, true)) {
                inFlight.release();
            }
        }

        @Override
        public void close()
        {
            if (!handedOff) {
                release();
            }
        }
    }

    /** Permits free for GETs (for tests: {@code s3.max-connections} when idle). */
    int availableConnectionPermits()
    {
        return inFlight.availablePermits();
    }

    /**
     * Sends a GET and waits for its response (the caller closes it). MinioClient's own getObject drops the
     * response when the waiting thread is interrupted (a scan ended early by a LIMIT, a cancelled
     * prefetch): it arrives later, nobody closes it, and its connection stays allocated until a GC finds
     * it ("A connection to ... was leaked"). Here an interrupted wait closes the response once it arrives,
     * and only then returns the connection permit ({@code permit}).
     */
    private GetObjectResponse getObject(GetObjectArgs args, ConnectionPermit permit)
            throws Exception
    {
        CompletableFuture<GetObjectResponse> future = asyncClient.getObject(args);
        try {
            return future.get();
        }
        catch (InterruptedException e) {
            // the request goes on without its reader: the permit stays taken until its response is closed
            permit.handOff();
            future.whenComplete((response, error) -> {
                try {
                    if (response != null) {
                        response.close();
                    }
                }
                catch (IOException | RuntimeException ignored) {
                    // the connection is discarded either way
                }
                finally {
                    permit.release();
                }
            });
            throw e;
        }
        catch (ExecutionException e) {
            // as MinioClient does: the client's own exception, out of its CompletionException wrapper
            Throwable cause = e.getCause();
            if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw e;
        }
    }

    /** HTTP connections held by requests in progress or by responses not yet closed (0 when the store is idle). */
    public int connectionsInUse()
    {
        ConnectionPool pool = httpClient.connectionPool();
        return pool.connectionCount() - pool.idleConnectionCount();
    }

    private GetObjectArgs.Builder withKey(GetObjectArgs.Builder args, String bucket, String key)
    {
        customerKey(bucket, key).ifPresent(customerKey -> args.ssec(customerKey.headers()));
        return args;
    }

    @FunctionalInterface
    private interface Call<T>
    {
        T call()
                throws Exception;
    }

    private static final class ShortReadException
            extends IOException
    {
        ShortReadException(String message)
        {
            super(message);
        }
    }

    private <T> T withRetries(String operation, String bucket, String key, long offset, Call<T> call)
    {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.call();
            }
            catch (GlauxException e) {
                throw e;
            }
            catch (Exception e) {
                if (root.closed || !isRetryable(e) || attempt >= maxRetries) {
                    throw translate(e, operation, bucket, key, offset);
                }
                retries.increment();
                backoff(attempt);
            }
        }
    }

    private void backoff(int attempt)
    {
        long delay = Math.min(MAX_BACKOFF_MILLIS, BASE_BACKOFF_MILLIS << Math.min(attempt, 10));
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        try {
            Thread.sleep(delay);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Interrupted while waiting to retry a request to the object store at " + endpoint, e);
        }
    }

    private static boolean isRetryable(Throwable e)
    {
        Throwable t = unwrap(e);
        if (t instanceof ErrorResponseException error) {
            int status = error.response() == null ? 0 : error.response().code();
            return status >= 500 || status == 429 || status == 408 || RETRYABLE_CODES.contains(error.errorResponse().code());
        }
        if (t instanceof ServerException server) {
            return server.statusCode() >= 500 || server.statusCode() == 429;
        }
        if (t instanceof InterruptedException || t instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            return false;
        }
        return t instanceof IOException;
    }

    private static Throwable unwrap(Throwable e)
    {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException
                || (t != null && t.getClass() == RuntimeException.class)) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private GlauxException translate(Throwable e, String operation, String bucket, String key, long offset)
    {
        Throwable t = unwrap(e);
        String path = path(bucket, key);
        String at = offset >= 0 ? " at offset " + offset : "";
        if (t instanceof GlauxException glaux) {
            return glaux;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Interrupted during %s of %s%s".formatted(operation, path, at), t);
        }
        if (t instanceof CancellationException) {
            return new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Cancelled during %s of %s%s".formatted(operation, path, at), t);
        }
        GlauxException encryption = encryptionError(t, operation, bucket, key, at);
        if (encryption != null) {
            return encryption;
        }
        // the MinIO client's exceptions print the request headers (an SSE-C key among them): never keep them
        Throwable cause = t instanceof MinioException ? null : t;
        if (t instanceof IllegalArgumentException) {
            // the client rejected the request before sending it (e.g. an invalid bucket name)
            return new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid object store location %s: %s".formatted(path, t.getMessage()), cause);
        }
        if (t instanceof ErrorResponseException error) {
            String code = error.errorResponse().code();
            int status = error.response() == null ? 0 : error.response().code();
            String detail = code + (error.errorResponse().message() == null ? "" : ": " + error.errorResponse().message());
            if (ACCESS_DENIED_CODES.contains(code) || status == 403) {
                return new GlauxException(ErrorCode.OBJECT_STORE_ACCESS_DENIED,
                        "Access denied by the object store at %s for %s (%s): check the access key and secret key (and that they are allowed to %s there)"
                                .formatted(endpoint, path, detail, operation), cause);
            }
            if ("NoSuchBucket".equals(code)) {
                return new GlauxException(ErrorCode.OBJECT_NOT_FOUND, "Bucket '%s' does not exist at %s (needed for %s)".formatted(bucket, endpoint, path), cause);
            }
            if (NOT_FOUND_CODES.contains(code) || status == 404) {
                return new GlauxException(ErrorCode.OBJECT_NOT_FOUND, "Object not found: %s (it was deleted, or the location is wrong)".formatted(path), cause);
            }
            if ("InvalidRange".equals(code) || status == 416) {
                return new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Requested range%s is beyond the end of %s".formatted(at, path), cause);
            }
            return new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Object store at %s failed during %s of %s%s: %s (HTTP %d)"
                    .formatted(endpoint, operation, path, at, detail, status), cause);
        }
        if (t instanceof ServerException server) {
            if (server.statusCode() == 403) {
                return new GlauxException(ErrorCode.OBJECT_STORE_ACCESS_DENIED,
                        "Access denied by the object store at %s for %s: check the access key and secret key".formatted(endpoint, path), cause);
            }
            return new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Object store at %s failed during %s of %s%s (HTTP %d) after %d retries"
                    .formatted(endpoint, operation, path, at, server.statusCode(), maxRetries), cause);
        }
        if (t instanceof IOException) {
            return new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "I/O error talking to the object store at %s during %s of %s%s (after %d retries): %s"
                    .formatted(endpoint, operation, path, at, maxRetries, t), cause);
        }
        return new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Object store request to %s failed during %s of %s%s: %s"
                .formatted(endpoint, operation, path, at, t), cause);
    }

    /**
     * The error for a read of an SSE-C object without the right key: the object store answers 400 (RGW,
     * S3Proxy, AWS without a key) or 403 AccessDenied (AWS, MinIO with a wrong key). Null for other failures.
     */
    private GlauxException encryptionError(Throwable t, String operation, String bucket, String key, String at)
    {
        if (!"read".equals(operation) || !(t instanceof ErrorResponseException error)) {
            return null;
        }
        int status = error.response() == null ? 0 : error.response().code();
        String code = error.errorResponse().code();
        Optional<CustomerKey> sent = customerKey(bucket, key);
        String path = path(bucket, key);
        if (sent.isPresent() && (status == 400 || (status == 403 && "AccessDenied".equals(code)))) {
            return new GlauxException(ErrorCode.ENCRYPTION_KEY_ERROR,
                    "The object store at %s rejected the SSE-C customer key '%s' for %s%s (%s, HTTP %d): the object is encrypted with a different key, or is not SSE-C encrypted"
                            .formatted(endpoint, sent.get().id(), path, at, code, status));
        }
        if (sent.isEmpty() && status == 400) {
            // reads never send anything a server could find malformed but the (absent) encryption headers
            return new GlauxException(ErrorCode.ENCRYPTION_KEY_ERROR,
                    "Cannot read %s%s: the object is encrypted with a customer key (SSE-C) and no key is configured for it (set %s for its location, or the table property '%s') (%s, HTTP %d)"
                            .formatted(path, at, CustomerKeyProvider.LOCATIONS, CustomerKeyProvider.TABLE_PROPERTY, code, status));
        }
        return null;
    }

    /** The total size from {@code Content-Range: bytes a-b/total}, or -1. */
    private static long totalSize(String contentRange)
    {
        if (contentRange == null) {
            return -1;
        }
        int slash = contentRange.lastIndexOf('/');
        if (slash < 0 || contentRange.endsWith("*")) {
            return -1;
        }
        try {
            return Long.parseLong(contentRange.substring(slash + 1).trim());
        }
        catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String path(String bucket, String key)
    {
        return "s3://" + bucket + "/" + key;
    }

    private void checkOpen()
    {
        if (root.closed) {
            throw new IllegalStateException("object store client is closed");
        }
    }

    @Override
    public void close()
    {
        if (root != this || closed) {
            return;
        }
        closed = true;
        httpClient.dispatcher().executorService().shutdown();
        httpClient.connectionPool().evictAll();
    }
}
