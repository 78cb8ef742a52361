package io.glaux.connectors.compress;

import static java.util.Objects.requireNonNull;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The decompressed data of the bzip2 blocks that start in a byte range of a bzip2 file, followed by the
 * data of the blocks after them (read only as far as the caller wants: to finish the last line).
 *
 * <p>bzip2 compresses blocks independently, each starting with the 48-bit magic {@code 0x314159265359}
 * at any bit position (the stream's end is marked by {@code 0x177245385090}). This stream scans the
 * compressed bits from the range's first byte for those markers; a block belongs to the range whose
 * bytes hold its magic's first bit, so adjacent ranges own disjoint blocks and together all of them.
 * Each block is decompressed alone (with its own CRC checked) by wrapping its bits in a one-block
 * bzip2 stream for Commons Compress. Concatenated streams ({@code cat a.bz2 b.bz2}) read as one.
 *
 * <p>{@link #rangeEnd()} says where, in the decompressed data, the range's own blocks end, so a line
 * reader can apply the same rule as for uncompressed text: a line belongs to the range that holds the
 * byte before it. Not thread-safe.
 */
public final class Bzip2RangeInputStream
        extends InputStream
{
    private static final long BLOCK_MAGIC = 0x314159265359L;
    private static final long END_OF_STREAM_MAGIC = 0x177245385090L;
    private static final long MAGIC_MASK = (1L << 48) - 1;
    /** The first block of a file starts right after the 4-byte stream header {@code BZh1}..{@code BZh9}. */
    private static final long FIRST_BLOCK_BIT = 32;
    private static final byte[] HEADER = {'B', 'Z', 'h', '9'};

    private final InputStream compressed;
    private final long endBit;

    // bit reader over the compressed data
    private int currentByte;
    private int bitsLeft;
    private long bitPosition;
    private long window;
    private int windowBits;
    /** The bits of the block being scanned (from its magic on), or null between blocks. */
    private BitWriter block;
    private long blockStartBit;

    private Block pendingBlock;
    private InputStream decoder;
    private long position;
    private long rangeEnd = Long.MAX_VALUE;
    private final boolean empty;
    private final boolean startsAtFirstBlock;

    /**
     * @param compressed the file's bytes from {@code start} on (not closed by this stream)
     * @param start the first byte of the range
     * @param end the first byte after the range
     */
    public Bzip2RangeInputStream(InputStream compressed, long start, long end)
            throws IOException
    {
        this.compressed = requireNonNull(compressed, "compressed is null");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
        }
        this.endBit = end * 8;
        this.bitPosition = start * 8;
        pendingBlock = nextBlock();
        empty = pendingBlock == null || pendingBlock.startBit() >= endBit;
        startsAtFirstBlock = pendingBlock != null && pendingBlock.startBit() == FIRST_BLOCK_BIT;
        if (empty) {
            rangeEnd = 0;
        }
    }

    /** Whether no block starts in the range: the range has no data of its own. */
    public boolean isEmpty()
    {
        return empty;
    }

    /** Whether the range's first block is the first block of the file (the data starts at the file's first byte). */
    public boolean startsAtFirstBlock()
    {
        return startsAtFirstBlock;
    }

    /**
     * The decompressed offset of the first byte of the first block after the range, once this stream
     * has read up to it; {@link Long#MAX_VALUE} before.
     */
    public long rangeEnd()
    {
        return rangeEnd;
    }

    @Override
    public int read()
            throws IOException
    {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length)
            throws IOException
    {
        if (length == 0) {
            return 0;
        }
        while (true) {
            if (decoder != null) {
                int n = decoder.read(buffer, offset, length);
                if (n > 0) {
                    position += n;
                    return n;
                }
                decoder.close();
                decoder = null;
            }
            Block next = pendingBlock != null ? pendingBlock : nextBlock();
            pendingBlock = null;
            if (next == null) {
                return -1;
            }
            if (next.startBit() >= endBit && rangeEnd == Long.MAX_VALUE) {
                rangeEnd = position;
            }
            decoder = new BZip2CompressorInputStream(new ByteArrayInputStream(next.stream()), false);
        }
    }

    @Override
    public void close()
            throws IOException
    {
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
    }

    /** The next block (its bits as a one-block bzip2 stream), or null at the end of the data. */
    private Block nextBlock()
            throws IOException
    {
        while (true) {
            int bit = readBit();
            if (bit < 0) {
                if (block != null) {
                    throw new EOFException("the bzip2 data ends inside the block starting at byte " + blockStartBit / 8);
                }
                return null;
            }
            if (windowBits == 48 && block != null) {
                block.write((int) (window >>> 47) & 1);
            }
            window = ((window << 1) | bit) & MAGIC_MASK;
            windowBits = Math.min(48, windowBits + 1);
            if (windowBits < 48 || (window != BLOCK_MAGIC && window != END_OF_STREAM_MAGIC)) {
                continue;
            }
            Block finished = block == null ? null : new Block(blockStartBit, block.toStream());
            if (window == BLOCK_MAGIC) {
                block = new BitWriter();
                block.write(BLOCK_MAGIC, 48);
                blockStartBit = bitPosition - 48;
            }
            else {
                block = null;
            }
            window = 0;
            windowBits = 0;
            if (finished != null) {
                return finished;
            }
        }
    }

    private int readBit()
            throws IOException
    {
        if (bitsLeft == 0) {
            currentByte = compressed.read();
            if (currentByte < 0) {
                return -1;
            }
            bitsLeft = 8;
        }
        bitsLeft--;
        bitPosition++;
        return (currentByte >>> bitsLeft) & 1;
    }

    private record Block(long startBit, byte[] stream) {}

    /** Bits, most significant first, into a growing byte array. */
    private static final class BitWriter
    {
        private byte[] bytes = new byte[64 * 1024];
        private long bits;

        void write(int bit)
        {
            int index = (int) (bits >>> 3);
            if (index == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            if (bit != 0) {
                bytes[index] |= (byte) (0x80 >>> (bits & 7));
            }
            bits++;
        }

        void write(long value, int count)
        {
            for (int i = count - 1; i >= 0; i--) {
                write((int) (value >>> i) & 1);
            }
        }

        /**
         * A complete bzip2 stream holding this one block: a header, the block, the end-of-stream magic
         * and the stream CRC, which for one block is the block's CRC (the 32 bits after its magic).
         */
        byte[] toStream()
        {
            long blockCrc = 0;
            for (int i = 48; i < 80; i++) {
                blockCrc = blockCrc << 1 | ((bytes[i >>> 3] >>> (7 - (i & 7))) & 1);
            }
            BitWriter stream = new BitWriter();
            stream.bytes = new byte[(int) ((bits + 32 + 48 + 32) / 8 + 2)];
            for (byte b : HEADER) {
                stream.write(b & 0xFF, 8);
            }
            long fullBytes = bits >>> 3;
            // copy whole bytes fast (the header is byte-aligned, so the block starts aligned too)
            System.arraycopy(bytes, 0, stream.bytes, HEADER.length, (int) fullBytes);
            stream.bits += fullBytes * 8;
            for (long i = fullBytes * 8; i < bits; i++) {
                stream.write((bytes[(int) (i >>> 3)] >>> (7 - (i & 7))) & 1);
            }
            stream.write(END_OF_STREAM_MAGIC, 48);
            stream.write(blockCrc, 32);
            return Arrays.copyOf(stream.bytes, (int) ((stream.bits + 7) >>> 3));
        }
    }
}
