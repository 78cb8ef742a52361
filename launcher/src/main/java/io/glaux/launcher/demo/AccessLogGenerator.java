package io.glaux.launcher.demo;

import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates deterministic ALB-style web access logs as Parquet files, one directory per day
 * ({@code dt=YYYY-MM-DD/part-N.parquet}). Timestamps rise within each file, so row-group statistics
 * on {@code ts} are selective; about 30% of referrers are NULL.
 */
public final class AccessLogGenerator
{
    public static final String HIVE_COLUMNS = "ts timestamp, client_ip string, method string, url string, status int, bytes bigint, "
            + "latency double, user_agent string, referrer string, target string";

    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message access_log {
              optional int64 ts (TIMESTAMP(MICROS,false));
              optional binary client_ip (STRING);
              optional binary method (STRING);
              optional binary url (STRING);
              optional int32 status;
              optional int64 bytes;
              optional double latency;
              optional binary user_agent (STRING);
              optional binary referrer (STRING);
              optional binary target (STRING);
            }
            """);

    private static final String[] METHODS = {"GET", "GET", "GET", "GET", "GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "HEAD"};
    private static final String[] PATHS = {"/", "/index.html", "/login", "/logout", "/api/v1/users", "/api/v1/orders", "/api/v1/items",
            "/api/v1/search", "/static/app.js", "/static/app.css", "/static/logo.png", "/checkout", "/cart", "/health", "/metrics",
            "/api/v2/events", "/docs", "/blog", "/about", "/favicon.ico"};
    private static final String[] AGENTS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
            "curl/8.5.0", "python-requests/2.31.0", "Googlebot/2.1 (+http://www.google.com/bot.html)", "ELB-HealthChecker/2.0"};
    private static final String[] REFERRERS = {"https://www.google.com/", "https://duckduckgo.com/", "https://example.com/blog",
            "https://news.ycombinator.com/", "https://t.co/abc"};

    /** A generated file: where it belongs and where it is on local disk. */
    public record GeneratedFile(LocalDate day, String name, Path path, long rows) {}

    private AccessLogGenerator() {}

    /**
     * Writes {@code rowsPerDay} rows for each of {@code days} days from {@code firstDay} into
     * {@code filesPerDay} files per day under {@code dir}.
     */
    public static List<GeneratedFile> generate(Path dir, LocalDate firstDay, int days, int rowsPerDay, int filesPerDay, long seed)
    {
        List<GeneratedFile> files = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        try {
            for (int d = 0; d < days; d++) {
                LocalDate day = firstDay.plusDays(d);
                long dayStartMicros = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
                long microsPerFile = 86_400L * 1_000_000L / filesPerDay;
                for (int f = 0; f < filesPerDay; f++) {
                    int rows = rowsPerDay / filesPerDay + (f < rowsPerDay % filesPerDay ? 1 : 0);
                    Path path = dir.resolve("dt=" + day).resolve("part-" + f + ".parquet");
                    Files.createDirectories(path.getParent());
                    Files.deleteIfExists(path);
                    write(path, rows, dayStartMicros + f * microsPerFile, microsPerFile, random);
                    files.add(new GeneratedFile(day, "part-" + f + ".parquet", path, rows));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static void write(Path path, int rows, long startMicros, long spanMicros, SplittableRandom random)
            throws IOException
    {
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(path))
                .withConf(new PlainParquetConfiguration())
                .withType(SCHEMA)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(4L * 1024 * 1024)
                .withPageSize(256 * 1024)
                .withDictionaryEncoding(true)
                .build()) {
            long step = Math.max(1, spanMicros / Math.max(1, rows));
            long ts = startMicros;
            for (int i = 0; i < rows; i++) {
                ts += 1 + random.nextLong(step * 2);
                Group group = groups.newGroup();
                group.add("ts", Math.min(ts, startMicros + spanMicros - 1));
                group.add("client_ip", "10." + random.nextInt(4) + "." + random.nextInt(40) + "." + random.nextInt(1, 255));
                group.add("method", METHODS[random.nextInt(METHODS.length)]);
                String url = PATHS[random.nextInt(PATHS.length)];
                if (url.startsWith("/api") && random.nextInt(3) == 0) {
                    url += "/" + random.nextInt(10_000);
                }
                group.add("url", url);
                group.add("status", status(random));
                if (random.nextInt(200) != 0) {
                    group.add("bytes", (long) (Math.exp(5 + random.nextDouble() * 9)));
                }
                group.add("latency", Math.round(random.nextDouble() * random.nextDouble() * 2_000_000.0) / 1_000_000.0);
                group.add("user_agent", AGENTS[random.nextInt(AGENTS.length)]);
                if (random.nextInt(10) >= 3) {
                    group.add("referrer", REFERRERS[random.nextInt(REFERRERS.length)]);
                }
                group.add("target", "10.1.0." + random.nextInt(1, 11) + ":8080");
                writer.write(group);
            }
        }
    }

    private static int status(SplittableRandom random)
    {
        int p = random.nextInt(1000);
        if (p < 820) {
            return 200;
        }
        if (p < 860) {
            return 304;
        }
        if (p < 890) {
            return 301;
        }
        if (p < 940) {
            return 404;
        }
        if (p < 960) {
            return 403;
        }
        if (p < 980) {
            return 500;
        }
        if (p < 990) {
            return 502;
        }
        return 503;
    }
}
