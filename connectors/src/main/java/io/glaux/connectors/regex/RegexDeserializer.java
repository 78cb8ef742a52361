package io.glaux.connectors.regex;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.line.LineDeserializer;
import io.glaux.connectors.line.TextValueWriter;
import io.glaux.connectors.line.TimestampFormats;
import org.apache.arrow.vector.FieldVector;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes {@link RegexFormat} and {@link GrokFormat} lines with one reused {@link LineMatcher}. An ASCII
 * line is matched through a view of its bytes (no String), and groups are written from the line's
 * bytes; other lines are decoded. Each column reads the first of its groups that took part in the
 * match (a grok field may be captured at several places); a line that does not match is a row of NULLs.
 */
final class RegexDeserializer
        implements LineDeserializer
{
    private final LineMatcher matcher;
    private final boolean wholeLine;
    private final int[][] groups;
    private final TextValueWriter[] writers;
    private final AsciiView ascii = new AsciiView();
    private FieldVector[] vectors = new FieldVector[0];
    private byte[] scratch = new byte[256];

    /**
     * @param wholeLine whether the pattern must match the whole line or may match a part of it
     * @param groups for each column, the groups it may read, in order of preference
     */
    RegexDeserializer(LineMatcher matcher, boolean wholeLine, TimestampFormats timestampFormats, List<ColumnHandle> columns, int[][] groups)
    {
        this.matcher = matcher;
        this.wholeLine = wholeLine;
        this.groups = new int[groups.length][];
        for (int i = 0; i < groups.length; i++) {
            this.groups[i] = groups[i].clone();
        }
        this.writers = new TextValueWriter[columns.size()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = TextValueWriter.create(columns.get(i).type(), timestampFormats);
        }
    }

    @Override
    public void startBatch(List<FieldVector> vectors)
    {
        this.vectors = vectors.toArray(new FieldVector[0]);
    }

    @Override
    public boolean deserialize(byte[] line, int offset, int length, int row)
    {
        if (isAscii(line, offset, length)) {
            ascii.set(line, offset, length);
            if (!matcher.match(ascii, wholeLine)) {
                // no match: a row of NULLs, as in Hive
                return true;
            }
            for (int i = 0; i < writers.length; i++) {
                int group = participating(groups[i]);
                if (group >= 0) {
                    int start = matcher.start(group);
                    // an invalid value stays NULL, as in Hive
                    writers[i].write(vectors[i], row, line, offset + start, matcher.end(group) - start);
                }
            }
            return true;
        }
        String text = new String(line, offset, length, StandardCharsets.UTF_8);
        if (!matcher.match(text, wholeLine)) {
            return true;
        }
        for (int i = 0; i < writers.length; i++) {
            int group = participating(groups[i]);
            if (group >= 0) {
                int n = encode(text, matcher.start(group), matcher.end(group));
                writers[i].write(vectors[i], row, scratch, 0, n);
            }
        }
        return true;
    }

    /** The first of the groups that took part in the match, or -1. */
    private int participating(int[] candidates)
    {
        for (int group : candidates) {
            if (matcher.start(group) >= 0) {
                return group;
            }
        }
        return -1;
    }

    private int encode(String text, int start, int end)
    {
        byte[] bytes = text.substring(start, end).getBytes(StandardCharsets.UTF_8);
        if (scratch.length < bytes.length) {
            scratch = new byte[Math.max(bytes.length, scratch.length * 2)];
        }
        System.arraycopy(bytes, 0, scratch, 0, bytes.length);
        return bytes.length;
    }

    private static boolean isAscii(byte[] line, int offset, int length)
    {
        for (int i = offset; i < offset + length; i++) {
            if (line[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an ASCII line as characters, without copying. */
    private static final class AsciiView
            implements CharSequence
    {
        private byte[] bytes;
        private int offset;
        private int length;

        void set(byte[] bytes, int offset, int length)
        {
            this.bytes = bytes;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public int length()
        {
            return length;
        }

        @Override
        public char charAt(int index)
        {
            if (index < 0 || index >= length) {
                throw new IndexOutOfBoundsException(index);
            }
            return (char) bytes[offset + index];
        }

        @Override
        public CharSequence subSequence(int start, int end)
        {
            return toString().substring(start, end);
        }

        @Override
        public String toString()
        {
            return new String(bytes, offset, length, StandardCharsets.US_ASCII);
        }
    }
}
