package io.glaux.connectors.text;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.line.ByteSearch;
import io.glaux.connectors.line.LineDeserializer;
import io.glaux.connectors.line.MalformedLineException;
import io.glaux.connectors.line.TextValueWriter;
import io.glaux.connectors.line.TimestampFormats;
import org.apache.arrow.vector.FieldVector;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Decodes {@link CsvFormat} lines with opencsv 2.3's rules, on bytes, into a reused buffer. */
final class CsvDeserializer
        implements LineDeserializer
{
    private final byte separator;
    private final byte quote;
    private final byte escape;
    private final long specialFirst;
    private final long specialSecond;
    private final long specialThird;
    private final List<ColumnHandle> columns;
    private final int[] columnPositions;
    private final TextValueWriter[] writers;
    private FieldVector[] vectors = new FieldVector[0];

    private byte[] scratch = new byte[1024];
    private int[] fieldStarts = new int[16];
    private int[] fieldEnds = new int[16];
    private int fieldCount;

    CsvDeserializer(CsvFormat format, List<ColumnHandle> columns, int[] columnPositions, TimestampFormats timestampFormats)
    {
        this.separator = format.separator();
        this.quote = format.quote();
        this.escape = format.escape();
        this.specialFirst = ByteSearch.repeat(separator);
        this.specialSecond = ByteSearch.repeat(quote);
        this.specialThird = ByteSearch.repeat(escape);
        this.columns = List.copyOf(columns);
        this.columnPositions = columnPositions.clone();
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
        parse(line, offset, length);
        for (int i = 0; i < writers.length; i++) {
            int position = columnPositions[i];
            if (position >= fieldCount) {
                continue;
            }
            int start = fieldStarts[position];
            int end = fieldEnds[position];
            TextValueWriter writer = writers[i];
            if (start == end && !writer.acceptsAnyText()) {
                continue;
            }
            if (!writer.write(vectors[i], row, scratch, start, end - start)) {
                throw new MalformedLineException("'%s' is not a valid %s value for column '%s' (field %d)"
                        .formatted(preview(start, end), columns.get(i).type().trinoName(), columns.get(i).name(), position + 1));
            }
        }
        return true;
    }

    private String preview(int start, int end)
    {
        String text = new String(scratch, start, Math.min(end - start, 100), StandardCharsets.UTF_8);
        return end - start > 100 ? text + "..." : text;
    }

    /** opencsv 2.3 {@code CSVParser.parseLine}: the fields of the line into {@link #scratch}. */
    private void parse(byte[] b, int offset, int length)
    {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        fieldCount = 0;
        int out = 0;
        int fieldStart = 0;
        boolean inQuotes = false;
        boolean inField = false;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte c = b[i];
            if (c == escape) {
                if ((inQuotes || inField) && i + 1 < end && (b[i + 1] == quote || b[i + 1] == escape)) {
                    scratch[out++] = b[++i];
                }
                // an escape character before anything else is dropped
            }
            else if (c == quote) {
                if ((inQuotes || inField) && i + 1 < end && b[i + 1] == quote) {
                    scratch[out++] = b[++i];
                }
                else {
                    int index = i - offset;
                    // a quote in the middle of a field ("bc"d"ef") is kept (opencsv's "tricky case")
                    if (index > 2 && b[i - 1] != separator && i + 1 < end && b[i + 1] != separator) {
                        if (out > fieldStart && isAllWhitespace(fieldStart, out)) {
                            out = fieldStart;
                        }
                        else {
                            scratch[out++] = c;
                        }
                    }
                    inQuotes = !inQuotes;
                }
                inField = !inField;
            }
            else if (c == separator && !inQuotes) {
                addField(fieldStart, out);
                fieldStart = out;
                inField = false;
            }
            else {
                // a run of bytes without a quote, escape or separator is copied at once
                int run = ByteSearch.indexOfAny(b, i + 1, end, specialFirst, specialSecond, specialThird);
                System.arraycopy(b, i, scratch, out, run - i);
                out += run - i;
                i = run - 1;
                inField = true;
            }
        }
        if (inQuotes) {
            throw new MalformedLineException("the line ends inside a quoted field (a quoted field cannot contain a line break)");
        }
        addField(fieldStart, out);
    }

    private boolean isAllWhitespace(int start, int end)
    {
        for (int i = start; i < end; i++) {
            if (!Character.isWhitespace(scratch[i])) {
                return false;
            }
        }
        return true;
    }

    private void addField(int start, int end)
    {
        if (fieldCount == fieldStarts.length) {
            fieldStarts = Arrays.copyOf(fieldStarts, fieldCount * 2);
            fieldEnds = Arrays.copyOf(fieldEnds, fieldCount * 2);
        }
        fieldStarts[fieldCount] = start;
        fieldEnds[fieldCount] = end;
        fieldCount++;
    }
}
