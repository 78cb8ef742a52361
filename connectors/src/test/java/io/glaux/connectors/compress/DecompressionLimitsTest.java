package io.glaux.connectors.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.zstd.ZstdOutputStream;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

class DecompressionLimitsTest
{
    @Test
    void aGzipBombIsCutOffWithACodedErrorNamingTheObject()
            throws IOException
    {
        byte[] bomb = compress(CompressionKind.GZIP, 64 << 20);
        assertThat(bomb.length).isLessThan(200_000);
        DecompressionLimits limits = new DecompressionLimits(100, Long.MAX_VALUE);
        assertThatThrownBy(() -> drain(CompressionKind.GZIP.open(new ByteArrayInputStream(bomb), "s3://logs/bomb.json.gz", limits)))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_DECOMPRESSION_LIMIT);
                    assertThat(e.getMessage()).startsWith("Decompressing s3://logs/bomb.json.gz: ")
                            .contains("to offset ").contains("scan.max-decompression-ratio = 100");
                });
        // the same object within a generous ratio reads whole
        assertThat(drain(CompressionKind.GZIP.open(new ByteArrayInputStream(bomb), "s3://logs/bomb.json.gz", new DecompressionLimits(10_000, Long.MAX_VALUE))))
                .isEqualTo(64L << 20);
    }

    @Test
    void aZstdBombIsCutOffByTheDefaultRatioAndASizeCapCutsAnything()
            throws IOException
    {
        byte[] bomb = compress(CompressionKind.ZSTD, 64 << 20);
        assertThatThrownBy(() -> drain(CompressionKind.ZSTD.open(new ByteArrayInputStream(bomb), "s3://logs/bomb.json.zst", new DecompressionLimits(1000, Long.MAX_VALUE))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_DECOMPRESSION_LIMIT));
        byte[] text = compress(CompressionKind.GZIP, 1 << 20);
        assertThatThrownBy(() -> drain(CompressionKind.GZIP.open(new ByteArrayInputStream(text), "s3://logs/a.gz", new DecompressionLimits(1000, 1000))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.getMessage()).contains("more than scan.max-decompressed-size allows"));
    }

    @Test
    void ordinaryLogsPassAndPagesAreBounded()
            throws IOException
    {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            lines.append("{\"id\": ").append(i).append(", \"path\": \"/index.html\", \"status\": 200}\n");
        }
        byte[] plain = lines.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        assertThat(drain(CompressionKind.GZIP.open(new ByteArrayInputStream(out.toByteArray()), "s3://logs/ok.gz", new DecompressionLimits(100, Long.MAX_VALUE))))
                .isEqualTo(plain.length);

        DecompressionLimits limits = new DecompressionLimits(1000, Long.MAX_VALUE);
        assertThat(limits.checkPage(10, 8 << 20)).isNull();
        assertThat(limits.checkPage(10_000, 10_000_000)).isNull();
        assertThat(limits.checkPage(10, Integer.MAX_VALUE)).isEqualTo("10 compressed bytes claim 2147483647 uncompressed, more than scan.max-decompression-ratio = 1000 allows (8398608 bytes)");
    }

    private static byte[] compress(CompressionKind kind, int zeros)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressed = kind == CompressionKind.GZIP ? new GZIPOutputStream(out) : new ZstdOutputStream(out)) {
            byte[] block = new byte[1 << 20];
            for (int written = 0; written < zeros; written += block.length) {
                compressed.write(block, 0, Math.min(block.length, zeros - written));
            }
        }
        return out.toByteArray();
    }

    private static long drain(InputStream in)
            throws IOException
    {
        try (in) {
            byte[] buffer = new byte[65536];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
            return total;
        }
    }
}
