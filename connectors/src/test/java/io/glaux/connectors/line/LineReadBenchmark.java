package io.glaux.connectors.line;

import io.glaux.connectors.compress.CompressionKind;
import io.glaux.connectors.compress.TestingCompression;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.FormatRegistry;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Not part of the test suite: {@code mvn -o -pl connectors test -Dtest=LineReadBenchmark -Dglaux.bench=true}.
 * Prints MB/s and rows/s of the text, CSV, JSON and regex readers over S3Proxy on loopback (one thread,
 * one split per object), uncompressed and gzip.
 */
@EnabledIfSystemProperty(named = "glaux.bench", matches = "true")
class LineReadBenchmark
{
    private static final int ROWS = 1_000_000;

    @Test
    void scan()
            throws Exception
    {
        StringBuilder text = new StringBuilder();
        StringBuilder csv = new StringBuilder();
        StringBuilder json = new StringBuilder();
        StringBuilder log = new StringBuilder();
        for (long id = 0; id < ROWS; id++) {
            String host = "host-" + id % 50;
            String message = "GET /api/v1/items/" + id * 7919 % 100_003 + " HTTP/1.1";
            double latency = (id % 1000) / 7.0;
            String ts = "2024-01-01 00:%02d:%02d.%03d".formatted(id / 60_000 % 60, id / 1000 % 60, id % 1000);
            int status = id % 97 == 0 ? 500 : 200;
            text.append(id).append('\t').append(host).append('\t').append(message).append('\t').append(latency).append('\t').append(ts).append('\t').append(status).append('\n');
            csv.append('"').append(id).append("\",\"").append(host).append("\",\"").append(message).append("\",\"").append(latency).append("\",\"").append(ts).append("\",\"").append(status).append("\"\n");
            json.append("{\"id\":").append(id).append(",\"host\":\"").append(host).append("\",\"message\":\"").append(message)
                    .append("\",\"latency\":").append(latency).append(",\"ts\":\"").append(ts).append("\",\"status\":").append(status).append("}\n");
            log.append(host).append(" - - [").append(ts).append("] \"").append(message).append("\" ").append(status).append(' ').append(id).append(' ').append(latency).append('\n');
        }
        List<ColumnHandle> columns = List.of(
                LineFiles.regular("id", Type.BIGINT), LineFiles.regular("host", Type.VARCHAR), LineFiles.regular("message", Type.VARCHAR),
                LineFiles.regular("latency", Type.DOUBLE), LineFiles.regular("ts", Type.TIMESTAMP), LineFiles.regular("status", Type.INTEGER));
        List<ColumnHandle> two = List.of(LineFiles.regular("status", Type.INTEGER), LineFiles.regular("latency", Type.DOUBLE));
        String names = "id,host,message,latency,ts,status";
        try (LineFiles files = new LineFiles()) {
            FormatRegistry registry = FormatRegistry.standard(files.store());
            Map<String, PageSourceFactory> factories = Map.of(
                    "text", registry.factory("text", Map.of(TableFormats.COLUMNS, names, "field.delim", "\t")),
                    "csv", registry.factory("csv", Map.of(TableFormats.COLUMNS, names)),
                    "json", registry.factory("json", Map.of(TableFormats.COLUMNS, names)),
                    "regex", registry.factory("regex", Map.of(TableFormats.COLUMNS, "host,ts,message,status,id,latency",
                            "input.regex", "(\\S+) - - \\[([^\\]]+)\\] \"([^\"]*)\" (\\d+) (\\d+) (\\S+)")));
            Map<String, String> contents = Map.of("text", text.toString(), "csv", csv.toString(), "json", json.toString(), "regex", log.toString());
            for (String format : List.of("text", "csv", "json", "regex")) {
                byte[] bytes = contents.get(format).getBytes(StandardCharsets.UTF_8);
                Split plain = files.put("bench/" + format + "/data", bytes);
                Split gzip = files.put("bench/" + format + "/data.gz", TestingCompression.compress(CompressionKind.GZIP, bytes));
                for (int round = 0; round < 3; round++) {
                    measure(format + " lines only ", files, factories.get(format), plain, List.of(), bytes.length);
                    measure(format + " all columns", files, factories.get(format), plain, columns, bytes.length);
                    measure(format + " 2 columns  ", files, factories.get(format), plain, two, bytes.length);
                    measure(format + " gzip, all  ", files, factories.get(format), gzip, columns, bytes.length);
                }
            }
        }
    }

    private static void measure(String label, LineFiles files, PageSourceFactory factory, Split split, List<ColumnHandle> columns, long uncompressedBytes)
    {
        long start = System.nanoTime();
        long rows = 0;
        try (PageSource source = factory.create(split, columns, TupleDomain.all(), files.allocator())) {
            VectorSchemaRoot batch;
            while ((batch = source.nextBatch()) != null) {
                rows += batch.getRowCount();
                batch.close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-20s %,10d rows  %7.1f MB/s  %,12.0f rows/s%n", label, rows, uncompressedBytes / seconds / 1e6, rows / seconds);
    }
}
