package io.glaux.connectors.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.snappy.SnappyCompressor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/** Snappy pages through the native decoder (the build's platform has one) and what a corrupt page gives. */
class SnappyPagesTest
{
    @Test
    void theNativeDecoderLoadsHere()
    {
        // linux x86_64 and aarch64, macOS and Windows all have one in snappy-java: the fallback is for other platforms
        assertThat(SnappyPages.nativeDecoder()).isTrue();
    }

    @Test
    void decompressesPlainNumbersAtAnOffset()
    {
        // PLAIN-encoded decimals: many short matches, the case this decoder is for
        ByteBuffer values = ByteBuffer.allocate(8 * 50_000).order(ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(7);
        while (values.hasRemaining()) {
            values.putLong(90_000 + random.nextInt(10_000_000));
        }
        byte[] page = values.array();
        byte[] compressed = compress(page, 3);
        byte[] target = new byte[page.length + 10];
        SnappyPages.decompress(compressed, 3, compressed.length - 3, target, page.length);
        assertThat(Arrays.copyOf(target, page.length)).isEqualTo(page);
    }

    @Test
    void aPageDeclaringAnotherSizeIsRefusedBeforeAnythingIsWritten()
    {
        byte[] page = new byte[1000];
        Arrays.fill(page, (byte) 7);
        byte[] compressed = compress(page, 0);
        byte[] target = new byte[2000];
        assertThatThrownBy(() -> SnappyPages.decompress(compressed, 0, compressed.length, target, 500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000")
                .hasMessageContaining("500 expected");
        assertThat(target).containsOnly((byte) 0);
        assertThatThrownBy(() -> SnappyPages.decompress(compressed, 0, compressed.length, new byte[999], 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a Snappy page of 1000 bytes for a buffer of 999");
    }

    @Test
    void aCorruptPageIsAnIllegalArgument()
    {
        byte[] page = new byte[4096];
        new Random(3).nextBytes(page);
        byte[] compressed = compress(page, 0);
        // cut short: the declared size holds, the data does not
        assertThatThrownBy(() -> SnappyPages.decompress(compressed, 0, compressed.length / 2, new byte[4096], 4096))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("corrupt Snappy page at offset 0");
        byte[] garbage = new byte[64];
        garbage[0] = (byte) 0x80;
        garbage[1] = 0x08;
        Arrays.fill(garbage, 2, 64, (byte) 0xFF);
        assertThatThrownBy(() -> SnappyPages.decompress(garbage, 0, garbage.length, new byte[1024], 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("corrupt Snappy page at offset 0");
    }

    /** {@code page} Snappy-compressed after {@code padding} leading bytes. */
    private static byte[] compress(byte[] page, int padding)
    {
        SnappyCompressor compressor = new SnappyCompressor();
        byte[] out = new byte[padding + compressor.maxCompressedLength(page.length)];
        int length = compressor.compress(page, 0, page.length, out, padding, out.length - padding);
        return Arrays.copyOf(out, padding + length);
    }
}
