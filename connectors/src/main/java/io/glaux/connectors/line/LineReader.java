package io.glaux.connectors.line;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts a byte stream into lines the way Hadoop's {@code LineRecordReader} does, so that the lines of a
 * file cut into byte-range splits are each read exactly once:
 *
 * <ul>
 *   <li>A line ends at {@code \n}, {@code \r} or {@code \r\n}; the terminator is not part of the line.
 *       The last line of a file needs no terminator.</li>
 *   <li>A reader that does not start at byte 0 skips everything up to and including the first
 *       terminator: that (partial) line belongs to the previous split.</li>
 *   <li>It returns every line that starts at or before {@code end}, so the last line it starts is read
 *       to its end even past {@code end}.</li>
 * </ul>
 *
 * So a line belongs to the split that contains the byte before it (the first line to the first split).
 * Lines are returned as a window of an internal buffer, valid until the next call to {@link #next()};
 * the buffer grows for long lines up to {@code maxLineLength}. Not thread-safe.
 */
public final class LineReader
{
    private static final int INITIAL_BUFFER_SIZE = 256 * 1024;
    private static final long NEWLINES = ByteSearch.repeat((byte) '\n');
    private static final long RETURNS = ByteSearch.repeat((byte) '\r');

    private final InputStream in;
    private final long startOffset;
    private final long end;
    private final int maxLineLength;

    private byte[] buffer;
    private int position;
    private int limit;
    /** Stream offset of {@code buffer[0]}. */
    private long bufferOffset;
    private boolean eof;
    private boolean pendingCarriageReturn;
    private boolean started;
    private boolean finished;

    private int lineStart;
    private int lineLength;
    private long lineOffset;
    private long lineNumber;

    /**
     * @param in the bytes from {@code startOffset} on (not closed by this reader)
     * @param startOffset the offset of the first byte of {@code in}; when not 0 the first line is skipped
     * @param end lines starting after this offset are not returned ({@link Long#MAX_VALUE}: read to the end)
     * @param maxLineLength longer lines are an error
     */
    public LineReader(InputStream in, long startOffset, long end, int maxLineLength)
    {
        this(in, startOffset, end, maxLineLength, INITIAL_BUFFER_SIZE);
    }

    /**
     * Like {@link #LineReader(InputStream, long, long, int)} with a first buffer of at most
     * {@code initialBufferSize} bytes (it grows for longer lines): a small object needs no 256 KiB buffer.
     */
    public LineReader(InputStream in, long startOffset, long end, int maxLineLength, int initialBufferSize)
    {
        this.in = requireNonNull(in, "in is null");
        if (startOffset < 0 || end < startOffset) {
            throw new IllegalArgumentException("bad range " + startOffset + ".." + end);
        }
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be positive: " + maxLineLength);
        }
        this.startOffset = startOffset;
        this.end = end;
        this.maxLineLength = maxLineLength;
        this.buffer = new byte[(int) Math.min(Math.clamp(initialBufferSize, 64, INITIAL_BUFFER_SIZE), (long) maxLineLength + 2)];
        this.bufferOffset = startOffset;
    }

    /**
     * Advances to the next line.
     *
     * @return false at the end of the split (or of the stream)
     * @throws LineTooLongException for a line longer than the maximum
     */
    public boolean next()
            throws IOException
    {
        if (finished) {
            return false;
        }
        if (!started) {
            started = true;
            if (startOffset != 0 && !scanLine(true)) {
                finished = true;
                return false;
            }
        }
        if (pendingCarriageReturn) {
            pendingCarriageReturn = false;
            if (position == limit) {
                fill();
            }
            if (position < limit && buffer[position] == '\n') {
                position++;
            }
        }
        long offset = bufferOffset + position;
        if (offset > end || !scanLine(false)) {
            finished = true;
            return false;
        }
        lineOffset = offset;
        lineNumber++;
        return true;
    }

    /** The buffer holding the current line. */
    public byte[] buffer()
    {
        return buffer;
    }

    /** Where the current line starts in {@link #buffer()}. */
    public int lineStart()
    {
        return lineStart;
    }

    /** The current line's length in bytes, without its terminator. */
    public int lineLength()
    {
        return lineLength;
    }

    /** The stream offset of the current line's first byte. */
    public long lineOffset()
    {
        return lineOffset;
    }

    /**
     * The current line's number, from 1, counting the lines this reader returned (the skipped partial
     * first line not included): the line number in the file when the reader starts at byte 0.
     */
    public long lineNumber()
    {
        return lineNumber;
    }

    /** The stream offset of the first byte not consumed yet. */
    public long position()
    {
        return bufferOffset + position;
    }

    /**
     * Finds the end of the line at {@link #position}; sets the line window (unless {@code discard}) and
     * moves past its terminator. False when the stream has no more bytes.
     */
    private boolean scanLine(boolean discard)
            throws IOException
    {
        int scan = position;
        while (true) {
            byte[] b = buffer;
            int n = limit;
            int i = findLineEnd(b, scan, n);
            if (i < n) {
                setLine(position, i - position, discard);
                if (b[i] == '\r') {
                    if (i + 1 < n) {
                        position = b[i + 1] == '\n' ? i + 2 : i + 1;
                    }
                    else {
                        // the '\n' of a "\r\n" may be in the next read
                        position = i + 1;
                        pendingCarriageReturn = true;
                    }
                }
                else {
                    position = i + 1;
                }
                return true;
            }
            if (eof) {
                if (position == limit) {
                    return false;
                }
                setLine(position, limit - position, discard);
                position = limit;
                return true;
            }
            if (discard) {
                // a skipped line need not be kept: drop what was scanned
                bufferOffset += limit;
                position = 0;
                limit = 0;
                scan = 0;
            }
            else {
                int scanned = i - position;
                if (scanned > maxLineLength) {
                    throw new LineTooLongException(bufferOffset + position, maxLineLength);
                }
                compact();
                scan = scanned;
            }
            read();
        }
    }

    /** The index of the first {@code \n} or {@code \r} in {@code b[from, to)}, or {@code to}. */
    private static int findLineEnd(byte[] b, int from, int to)
    {
        return ByteSearch.indexOfAny(b, from, to, NEWLINES, RETURNS);
    }

    private void setLine(int start, int length, boolean discard)
    {
        if (discard) {
            return;
        }
        if (length > maxLineLength) {
            throw new LineTooLongException(bufferOffset + start, maxLineLength);
        }
        lineStart = start;
        lineLength = length;
    }

    /** Reads more bytes after the unconsumed ones. */
    private void fill()
            throws IOException
    {
        compact();
        read();
    }

    /** Moves the unconsumed bytes to the front of the buffer, growing it when they fill it. */
    private void compact()
    {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            bufferOffset += position;
            position = 0;
        }
        if (limit == buffer.length) {
            long grown = Math.min((long) buffer.length * 2, (long) maxLineLength + 2);
            if (grown <= buffer.length) {
                grown = buffer.length + 1L;
            }
            buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(grown, Integer.MAX_VALUE - 16));
        }
    }

    private void read()
            throws IOException
    {
        if (eof) {
            return;
        }
        int n;
        do {
            n = in.read(buffer, limit, buffer.length - limit);
        }
        while (n == 0);
        if (n < 0) {
            eof = true;
        }
        else {
            limit += n;
        }
    }

    /** A line longer than the reader's maximum. */
    public static final class LineTooLongException
            extends RuntimeException
    {
        private final long offset;

        LineTooLongException(long offset, int maxLineLength)
        {
            super("line is longer than " + maxLineLength + " bytes", null, false, false);
            this.offset = offset;
        }

        /** The stream offset of the line's first byte. */
        public long offset()
        {
            return offset;
        }
    }
}
