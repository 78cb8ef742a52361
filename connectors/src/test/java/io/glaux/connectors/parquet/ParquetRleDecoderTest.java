package io.glaux.connectors.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/** {@link RleBitPackedDecoder} against what parquet-java's encoder writes, at every bit width. */
class ParquetRleDecoderTest
{
    @Test
    void decodesEveryBitWidth()
            throws IOException
    {
        SplittableRandom random = new SplittableRandom(7);
        for (int width = 0; width <= 32; width++) {
            // short and long data, mostly bit-packed (random) or mostly runs (repeated values), ending mid-group
            for (int count : new int[] {1, 7, 8, 9, 63, 1000, 4099}) {
                for (boolean runs : new boolean[] {false, true}) {
                    int[] values = new int[count];
                    long bound = 1L << width;
                    for (int i = 0; i < count; i++) {
                        values[i] = runs && i > 0 && random.nextInt(4) != 0 ? values[i - 1] : (int) random.nextLong(bound);
                    }
                    byte[] encoded = encode(values, width);
                    // decoding from an offset inside a larger array, with bytes after the data
                    byte[] padded = new byte[encoded.length + 5];
                    Arrays.fill(padded, (byte) 0x5A);
                    System.arraycopy(encoded, 0, padded, 3, encoded.length);
                    for (byte[] bytes : new byte[][] {encoded, padded}) {
                        int offset = bytes == encoded ? 0 : 3;
                        RleBitPackedDecoder decoder = new RleBitPackedDecoder();
                        decoder.reset(bytes, offset, offset + encoded.length, width);
                        int[] decoded = new int[count];
                        // in uneven pieces, so reads start and end inside runs
                        for (int done = 0; done < count; ) {
                            int n = Math.min(count - done, 1 + random.nextInt(300));
                            decoder.readInts(decoded, done, n);
                            done += n;
                        }
                        assertThat(decoded).as("width %d, %d values, runs %s", width, count, runs).isEqualTo(values);
                    }
                }
            }
        }
    }

    private static byte[] encode(int[] values, int width)
            throws IOException
    {
        try (RunLengthBitPackingHybridEncoder encoder = new RunLengthBitPackingHybridEncoder(width, 64, 1 << 20, HeapByteBufferAllocator.getInstance())) {
            for (int value : values) {
                encoder.writeInt(value);
            }
            BytesInput bytes = encoder.toBytes();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            bytes.writeAllTo(out);
            return out.toByteArray();
        }
    }
}
