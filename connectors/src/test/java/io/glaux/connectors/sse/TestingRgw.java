package io.glaux.connectors.sse;

import static org.junit.jupiter.api.Assertions.fail;

import io.glaux.connectors.s3.ObjectStoreConfig;
import org.junit.jupiter.api.Assumptions;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Ceph RADOS Gateway that {@code testing/rgw/start-rgw.sh} runs (CI starts it in {@code .ci/run}):
 * real SSE-C and SSE-KMS over HTTPS, with the OSD's block file on local disk so tests can look for
 * plaintext at rest. When it is not running, this starts it with the script if radosgw is installed;
 * otherwise the calling test fails when {@code CI=true} and is skipped elsewhere.
 */
public final class TestingRgw
{
    private static TestingRgw instance;

    private final URI endpoint;
    private final Path caFile;
    private final String accessKey;
    private final String secretKey;
    private final String kmsKeyId;
    private final Path blockFile;
    private final Path logDirectory;

    private TestingRgw(Properties env)
    {
        endpoint = URI.create(env.getProperty("RGW_HTTPS_ENDPOINT"));
        caFile = Path.of(env.getProperty("RGW_CA_FILE"));
        accessKey = env.getProperty("RGW_ACCESS_KEY");
        secretKey = env.getProperty("RGW_SECRET_KEY");
        kmsKeyId = env.getProperty("RGW_KMS_KEY_ID");
        blockFile = Path.of(env.getProperty("RGW_BLOCK_FILE"));
        logDirectory = Path.of(env.getProperty("RGW_LOG_DIR"));
    }

    /** The running gateway; fails (CI) or skips (elsewhere) the test when there is none. */
    public static synchronized TestingRgw get()
    {
        if (instance != null) {
            return instance;
        }
        Path directory = Path.of(System.getenv().getOrDefault("GLAUX_RGW_DIR", "/var/tmp/glaux-rgw"));
        Path envFile = directory.resolve("rgw.env");
        String problem = running(envFile);
        if (problem != null) {
            problem = start(directory, envFile, problem);
        }
        if (problem != null) {
            String message = "The Ceph RGW for the SSE tests is not running (" + problem + "); start it with testing/rgw/start-rgw.sh --install (as root)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        instance = new TestingRgw(load(envFile));
        return instance;
    }

    private static String running(Path envFile)
    {
        if (!Files.isRegularFile(envFile)) {
            return envFile + " does not exist";
        }
        URI endpoint = URI.create(load(envFile).getProperty("RGW_HTTPS_ENDPOINT"));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2_000);
            return null;
        }
        catch (IOException e) {
            return "nothing listens on " + endpoint;
        }
    }

    private static String start(Path directory, Path envFile, String problem)
    {
        Path script = findScript();
        if (script == null || !isOnPath("radosgw")) {
            return problem;
        }
        try {
            Process process = new ProcessBuilder(script.toString(), directory.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return problem + "; start-rgw.sh did not finish in 5 minutes";
            }
            if (process.exitValue() != 0) {
                return problem + "; start-rgw.sh failed with exit code " + process.exitValue();
            }
        }
        catch (IOException e) {
            return problem + "; cannot run start-rgw.sh: " + e.getMessage();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return problem;
        }
        return running(envFile);
    }

    private static Path findScript()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("testing/rgw/start-rgw.sh");
            if (Files.isExecutable(script)) {
                return script;
            }
        }
        return null;
    }

    private static boolean isOnPath(String tool)
    {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static Properties load(Path envFile)
    {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(envFile)) {
            properties.load(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    public URI endpoint()
    {
        return endpoint;
    }

    public Path caFile()
    {
        return caFile;
    }

    public String accessKey()
    {
        return accessKey;
    }

    public String secretKey()
    {
        return secretKey;
    }

    /** A key of RGW's built-in "testing" KMS. */
    public String kmsKeyId()
    {
        return kmsKeyId;
    }

    public Path logDirectory()
    {
        return logDirectory;
    }

    /** An object store configuration for the gateway over HTTPS, trusting its CA, without customer keys. */
    public ObjectStoreConfig config()
    {
        return ObjectStoreConfig.of(endpoint, accessKey, secretKey)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60))
                .withMaxRetries(1)
                .withTrustedCaFile(caFile);
    }

    public X509TrustManager trustManager()
    {
        try {
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            try (InputStream in = Files.newInputStream(caFile)) {
                trustStore.setCertificateEntry("rgw-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            return (X509TrustManager) factory.getTrustManagers()[0];
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Which of {@code markers} appear anywhere in the OSD's block device (the bytes RGW stored, data and
     * write-ahead log alike), read once front to back.
     */
    public Set<String> markersOnDisk(List<String> markers)
    {
        List<byte[]> patterns = markers.stream().map(marker -> marker.getBytes(StandardCharsets.US_ASCII)).toList();
        int overlap = patterns.stream().mapToInt(pattern -> pattern.length).max().orElse(1);
        Set<String> found = new HashSet<>();
        ByteBuffer buffer = ByteBuffer.allocate(16 << 20);
        byte[] carry = new byte[0];
        byte[] zeros = new byte[buffer.capacity()];
        try (FileChannel channel = FileChannel.open(blockFile)) {
            while (channel.read(buffer.clear()) > 0) {
                buffer.flip();
                if (buffer.remaining() == zeros.length && java.util.Arrays.mismatch(buffer.array(), zeros) < 0) {
                    carry = new byte[0];
                    continue;   // most of the sparse device is never written
                }
                byte[] chunk = new byte[carry.length + buffer.remaining()];
                System.arraycopy(carry, 0, chunk, 0, carry.length);
                buffer.get(chunk, carry.length, buffer.remaining());
                for (int i = 0; i < patterns.size(); i++) {
                    if (!found.contains(markers.get(i)) && indexOf(chunk, patterns.get(i)) >= 0) {
                        found.add(markers.get(i));
                    }
                }
                int keep = Math.min(overlap - 1, chunk.length);
                carry = java.util.Arrays.copyOfRange(chunk, chunk.length - keep, chunk.length);
                if (found.size() == markers.size()) {
                    break;
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static int indexOf(byte[] data, byte[] pattern)
    {
        byte first = pattern[0];
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            if (data[i] != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
