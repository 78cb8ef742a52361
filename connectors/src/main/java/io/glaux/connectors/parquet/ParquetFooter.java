package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * A decoded Parquet footer and the tail bytes fetched to read it. Layout of a Parquet file:
 * {@code PAR1 <row groups> <footer (thrift FileMetaData)> <footer length: 4 bytes LE> PAR1}.
 *
 * @param tail the last bytes of the file, starting at {@code tailOffset} (reused to serve column
 *        chunks that lie inside it, so a small file costs a single GET)
 * @param dataEnd the offset where the footer starts: column chunks must end at or before it
 */
record ParquetFooter(ParquetMetadata metadata, byte[] tail, long tailOffset, long dataEnd)
{
    static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ENCRYPTED_MAGIC = "PARE".getBytes(StandardCharsets.US_ASCII);

    ParquetFooter
    {
        requireNonNull(metadata, "metadata is null");
        requireNonNull(tail, "tail is null");
    }

    /** Reads the footer with one suffix-range GET (two when it is larger than {@code footerReadSize}). */
    static ParquetFooter read(ObjectStore store, Split split, int footerReadSize, LongConsumer bytesFetched)
    {
        String path = split.path();
        long fileSize = split.fileSize();
        int minimum = 2 * MAGIC.length + 4;
        if (fileSize < minimum) {
            throw new GlauxException(ErrorCode.CORRUPT_FILE, "Not a Parquet file: %s is %d bytes long, shorter than the %d bytes of the magic numbers and footer length"
                    .formatted(path, fileSize, minimum));
        }
        int tailLength = (int) Math.min(fileSize, footerReadSize);
        byte[] tail = store.readTail(split.bucket(), split.key(), tailLength);
        bytesFetched.accept(tail.length);
        if (tail.length != tailLength) {
            throw new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt Parquet file %s: expected it to be %d bytes long but could read only %d bytes of its tail (was it truncated or overwritten after listing?)"
                    .formatted(path, fileSize, tail.length));
        }
        long tailOffset = fileSize - tail.length;

        int magicAt = tail.length - MAGIC.length;
        if (regionEquals(tail, magicAt, ENCRYPTED_MAGIC)) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Parquet file %s has an encrypted footer (magic PARE), which is not supported".formatted(path));
        }
        if (!regionEquals(tail, magicAt, MAGIC)) {
            throw new GlauxException(ErrorCode.CORRUPT_FILE, "Not a Parquet file or truncated: %s has no magic number PAR1 at offset %d (found 0x%s)"
                    .formatted(path, fileSize - MAGIC.length, HexFormat.of().formatHex(tail, magicAt, tail.length)));
        }
        if (tailOffset == 0 && !regionEquals(tail, 0, MAGIC)) {
            throw new GlauxException(ErrorCode.CORRUPT_FILE, "Not a Parquet file: %s has no magic number PAR1 at offset 0 (found 0x%s)"
                    .formatted(path, HexFormat.of().formatHex(tail, 0, MAGIC.length)));
        }
        int lengthAt = tail.length - MAGIC.length - 4;
        long footerLength = Integer.toUnsignedLong(readIntLittleEndian(tail, lengthAt));
        long footerStart = fileSize - MAGIC.length - 4 - footerLength;
        if (footerLength == 0 || footerStart < MAGIC.length) {
            throw new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt Parquet file %s: footer length %d at offset %d does not fit in a file of %d bytes (truncated file?)"
                    .formatted(path, footerLength, fileSize - MAGIC.length - 4, fileSize));
        }

        byte[] footerBytes;
        int footerOffset;
        if (footerStart >= tailOffset) {
            footerBytes = tail;
            footerOffset = (int) (footerStart - tailOffset);
        }
        else {
            if (footerLength > Integer.MAX_VALUE - 16) {
                throw new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt Parquet file %s: footer length %d at offset %d is too large"
                        .formatted(path, footerLength, fileSize - MAGIC.length - 4));
            }
            footerBytes = store.read(split.bucket(), split.key(), footerStart, (int) footerLength);
            bytesFetched.accept(footerBytes.length);
            footerOffset = 0;
        }

        ParquetMetadata metadata;
        try {
            metadata = new ParquetMetadataConverter().readParquetMetadata(
                    new ByteArrayInputStream(footerBytes, footerOffset, (int) footerLength), ParquetMetadataConverter.NO_FILTER);
        }
        catch (Exception | StackOverflowError e) {
            throw new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt Parquet file %s: cannot decode the footer (%d bytes at offset %d): %s"
                    .formatted(path, footerLength, footerStart, e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        return new ParquetFooter(metadata, tail, tailOffset, footerStart);
    }

    private static boolean regionEquals(byte[] bytes, int offset, byte[] expected)
    {
        if (offset < 0 || offset + expected.length > bytes.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (bytes[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static int readIntLittleEndian(byte[] bytes, int offset)
    {
        return (bytes[offset] & 0xFF)
                | (bytes[offset + 1] & 0xFF) << 8
                | (bytes[offset + 2] & 0xFF) << 16
                | (bytes[offset + 3] & 0xFF) << 24;
    }
}
