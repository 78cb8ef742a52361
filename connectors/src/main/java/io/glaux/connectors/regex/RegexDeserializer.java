package io.glaux.connectors.regex;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.line.LineDeserializer;
import io.glaux.connectors.line.TextValueWriter;
import org.apache.arrow.vector.FieldVector;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Decodes {@link RegexFormat} lines with one reused {@link Matcher}. An ASCII line is matched through a
 * view of its bytes (no String), and groups are written from the line's bytes; other lines are decoded.
 */
final class RegexDeserializer
        implements LineDeserializer
{
    private final Matcher matcher;
    private final int[] groups;
    private final TextValueWriter[] writers;
    private final AsciiView ascii = new AsciiView();
    private FieldVector[] vectors = new FieldVector[0];
    private byte[] scratch = new byte[256];

    RegexDeserializer(RegexFormat format, List<ColumnHandle> columns, int[] groups)
    {
        this.matcher = format.pattern().matcher("");
        this.groups = groups.clone();
        this.writers = new TextValueWriter[columns.size()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = TextValueWriter.create(columns.get(i).type(), format.timestampFormats());
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
            matcher.reset(ascii);
            if (!matcher.matches()) {
                // no match: a row of NULLs, as in Hive
                return true;
            }
            for (int i = 0; i < writers.length; i++) {
                int start = matcher.start(groups[i]);
                if (start >= 0) {
                    // an invalid value stays NULL, as in Hive
                    writers[i].write(vectors[i], row, line, offset + start, matcher.end(groups[i]) - start);
                }
            }
            return true;
        }
        String text = new String(line, offset, length, StandardCharsets.UTF_8);
        matcher.reset(text);
        if (!matcher.matches()) {
            return true;
        }
        for (int i = 0; i < writers.length; i++) {
            int start = matcher.start(groups[i]);
            if (start >= 0) {
                int n = encode(text, start, matcher.end(groups[i]));
                writers[i].write(vectors[i], row, scratch, 0, n);
            }
        }
        return true;
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
