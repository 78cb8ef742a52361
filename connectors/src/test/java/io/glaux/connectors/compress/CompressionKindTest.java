package io.glaux.connectors.compress;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

class CompressionKindTest
{
    @Test
    void kindFromKey()
    {
        assertThat(CompressionKind.fromKey("logs/dt=2024-01-01/part-0.gz")).isEqualTo(CompressionKind.GZIP);
        assertThat(CompressionKind.fromKey("a/b.json.GZ")).isEqualTo(CompressionKind.GZIP);
        assertThat(CompressionKind.fromKey("a/b.csv.bz2")).isEqualTo(CompressionKind.BZIP2);
        assertThat(CompressionKind.fromKey("a/b.zst")).isEqualTo(CompressionKind.ZSTD);
        assertThat(CompressionKind.fromKey("a/b.lz4")).isEqualTo(CompressionKind.LZ4);
        assertThat(CompressionKind.fromKey("a/b.snappy")).isEqualTo(CompressionKind.SNAPPY);
        assertThat(CompressionKind.fromKey("a/b.deflate")).isEqualTo(CompressionKind.DEFLATE);
        assertThat(CompressionKind.fromKey("a/b.txt")).isEqualTo(CompressionKind.NONE);
        assertThat(CompressionKind.fromKey("a/b")).isEqualTo(CompressionKind.NONE);
        // the extension of the file name, not of a directory; a bare ".gz" is a hidden file, not gzip
        assertThat(CompressionKind.fromKey("a.gz/b.txt")).isEqualTo(CompressionKind.NONE);
        assertThat(CompressionKind.fromKey("a/.gz")).isEqualTo(CompressionKind.NONE);
        assertThat(CompressionKind.NONE.isSplittable()).isTrue();
        assertThat(Arrays.stream(CompressionKind.values()).filter(CompressionKind::isSplittable)).containsExactly(CompressionKind.NONE, CompressionKind.BZIP2);
    }

    @ParameterizedTest
    @EnumSource(CompressionKind.class)
    void roundTrip(CompressionKind kind)
            throws IOException
    {
        byte[] data = sampleText(300_000);
        assertThat(decompress(kind, TestingCompression.compress(kind, data))).isEqualTo(data);
        assertThat(decompress(kind, TestingCompression.compress(kind, new byte[0]))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = CompressionKind.class, names = {"GZIP", "BZIP2", "ZSTD"})
    void concatenatedStreamsAreReadCompletely(CompressionKind kind)
            throws IOException
    {
        byte[] first = "first member\n".repeat(5000).getBytes(UTF_8);
        byte[] second = "second member\n".repeat(7000).getBytes(UTF_8);
        byte[] third = "third\n".getBytes(UTF_8);
        byte[] compressed = TestingCompression.compressConcatenated(kind, first, second, third);
        byte[] expected = concat(first, second, third);
        assertThat(decompress(kind, compressed)).isEqualTo(expected);
        // also when the compressed bytes trickle in and available() is always 0 (a network stream)
        assertThat(kind.open(new TrickleInputStream(compressed, 7)).readAllBytes()).isEqualTo(expected);
    }

    @Test
    void snappyFramingFormatIsRecognized()
            throws IOException
    {
        byte[] data = sampleText(100_000);
        assertThat(decompress(CompressionKind.SNAPPY, TestingCompression.snappyFramed(data))).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionKind.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void truncatedDataFails(CompressionKind kind)
    {
        byte[] compressed = TestingCompression.compress(kind, sampleText(200_000));
        byte[] truncated = Arrays.copyOf(compressed, compressed.length / 2);
        assertThatThrownBy(() -> decompress(kind, truncated)).isInstanceOf(Exception.class);
    }

    @Test
    void notGzipFails()
    {
        assertThatThrownBy(() -> decompress(CompressionKind.GZIP, "plain text\n".getBytes(UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Not in GZIP format");
    }

    static byte[] sampleText(int lines)
    {
        Random random = new Random(lines);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines / 10; i++) {
            text.append(i).append('\t').append(random.nextInt(1000)).append("\thost-").append(random.nextInt(20)).append('\n');
        }
        return text.toString().getBytes(UTF_8);
    }

    private static byte[] decompress(CompressionKind kind, byte[] compressed)
            throws IOException
    {
        try (InputStream in = kind.open(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    private static byte[] concat(byte[]... parts)
    {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Returns at most {@code step} bytes per read and reports nothing available. */
    private static final class TrickleInputStream
            extends InputStream
    {
        private final byte[] data;
        private final int step;
        private int position;

        TrickleInputStream(byte[] data, int step)
        {
            this.data = data;
            this.step = step;
        }

        @Override
        public int read()
        {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len)
        {
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, step), data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available()
        {
            return 0;
        }
    }
}
