package io.glaux.connectors.text;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.line.LineDeserializer;
import org.apache.arrow.vector.FieldVector;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Decodes {@link TextFormat} lines: finds the needed fields on bytes, then writes each into its vector. */
final class TextDeserializer
        implements LineDeserializer
{
    private final TextFormat format;
    private final int[] columnPositions;
    private final TextFieldWriter[] writers;
    private final int fieldsNeeded;
    private final int lastTablePosition;
    private final byte separator;
    private final boolean escaped;
    private final byte escapeChar;
    private final Charset charset;
    private final int[] fieldStarts;
    private final int[] fieldEnds;
    private FieldVector[] vectors = new FieldVector[0];

    TextDeserializer(TextFormat format, List<ColumnHandle> columns, int[] columnPositions)
    {
        this.format = format;
        this.columnPositions = columnPositions.clone();
        this.writers = new TextFieldWriter[columns.size()];
        int maxPosition = -1;
        for (int i = 0; i < columns.size(); i++) {
            writers[i] = TextFieldWriter.create(format, columns.get(i).type(), 1);
            maxPosition = Math.max(maxPosition, columnPositions[i]);
        }
        this.fieldsNeeded = maxPosition + 1;
        this.lastTablePosition = format.tableColumns().size() - 1;
        this.separator = format.separator(0);
        this.escaped = format.escaped();
        this.escapeChar = format.escapeChar();
        this.charset = format.charset();
        this.fieldStarts = new int[fieldsNeeded];
        this.fieldEnds = new int[fieldsNeeded];
    }

    @Override
    public void startBatch(List<FieldVector> vectors)
    {
        this.vectors = vectors.toArray(new FieldVector[0]);
    }

    @Override
    public boolean deserialize(byte[] line, int offset, int length, int row)
    {
        byte[] b = line;
        int start = offset;
        int end = offset + length;
        if (charset != StandardCharsets.UTF_8) {
            b = new String(line, offset, length, charset).getBytes(StandardCharsets.UTF_8);
            start = 0;
            end = b.length;
        }
        int fields = splitFields(b, start, end);
        for (int i = 0; i < writers.length; i++) {
            int position = columnPositions[i];
            if (position >= fields) {
                continue;
            }
            int fieldStart = fieldStarts[position];
            int fieldEnd = fieldEnds[position];
            if (TextFieldWriter.isNull(format, b, fieldStart, fieldEnd)) {
                continue;
            }
            // an invalid value stays NULL, as in Hive
            writers[i].write(vectors[i], row, b, fieldStart, fieldEnd);
        }
        return true;
    }

    /** Finds the first {@link #fieldsNeeded} fields; returns how many the line has (at most that many). */
    private int splitFields(byte[] b, int start, int end)
    {
        if (fieldsNeeded == 0) {
            return 0;
        }
        int field = 0;
        int fieldStart = start;
        boolean restToLast = format.lastColumnTakesRest();
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == separator) {
                if (restToLast && field == lastTablePosition) {
                    continue;
                }
                fieldStarts[field] = fieldStart;
                fieldEnds[field] = i;
                field++;
                if (field == fieldsNeeded) {
                    return field;
                }
                fieldStart = i + 1;
            }
            else if (escaped && c == escapeChar) {
                i++;
            }
        }
        fieldStarts[field] = fieldStart;
        fieldEnds[field] = end;
        return field + 1;
    }
}
