package io.glaux.connectors.text;

import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.connectors.line.TextValueWriter;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

import java.util.List;

/**
 * Writes one field of a delimited line (possibly a nested value) into a vector, as Hive's
 * {@code LazySimpleSerDe} reads it: arrays split on the separator of their nesting level, maps on that
 * separator into entries and on the next one into key and value, structs into their fields. A value or
 * element equal to the null sequence is NULL; an element that is not valid for its type is NULL; a map
 * entry whose key is NULL is dropped.
 */
abstract sealed class TextFieldWriter
        permits TextFieldWriter.Scalar, TextFieldWriter.ArrayWriter, TextFieldWriter.MapWriter, TextFieldWriter.RowWriter
{
    /**
     * Writes {@code b[start, end)} (still escaped) at {@code index}; false when it is not a valid value
     * (then nothing is written and the caller leaves NULL).
     */
    abstract boolean write(FieldVector vector, int index, byte[] b, int start, int end);

    static TextFieldWriter create(TextFormat format, Type type, int level)
    {
        return switch (type) {
            case Type.Array array -> new ArrayWriter(format, level, create(format, array.element(), level + 1));
            case Type.MapType map -> new MapWriter(format, level, create(format, map.key(), level + 2), create(format, map.value(), level + 2));
            case Type.Row row -> new RowWriter(format, level, row.fields().stream().map(field -> create(format, field.type(), level + 1)).toList());
            default -> new Scalar(format, TextValueWriter.create(type, format.timestampFormats()));
        };
    }

    /** Whether {@code b[start, end)} is the null sequence. */
    static boolean isNull(TextFormat format, byte[] b, int start, int end)
    {
        byte[] nullSequence = format.nullSequence();
        return end - start == nullSequence.length && java.util.Arrays.equals(b, start, end, nullSequence, 0, nullSequence.length);
    }

    /** The end of the item starting at {@code start}: the next unescaped {@code separator}, or {@code end}. */
    static int itemEnd(TextFormat format, byte[] b, int start, int end, byte separator)
    {
        boolean escaped = format.escaped();
        byte escape = format.escapeChar();
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == separator) {
                return i;
            }
            if (escaped && c == escape) {
                i++;
            }
        }
        return end;
    }

    static final class Scalar
            extends TextFieldWriter
    {
        private final TextFormat format;
        private final TextValueWriter writer;
        private byte[] scratch = new byte[256];

        Scalar(TextFormat format, TextValueWriter writer)
        {
            this.format = format;
            this.writer = writer;
        }

        @Override
        boolean write(FieldVector vector, int index, byte[] b, int start, int end)
        {
            if (format.escaped()) {
                int escape = indexOf(b, start, end, format.escapeChar());
                if (escape >= 0) {
                    int length = unescape(b, start, end);
                    return writer.write(vector, index, scratch, 0, length);
                }
            }
            return writer.write(vector, index, b, start, end - start);
        }

        /** Hive's {@code LazyUtils.copyAndEscapeStringDataToText} into {@link #scratch}; returns the length. */
        private int unescape(byte[] b, int start, int end)
        {
            if (scratch.length < end - start) {
                scratch = new byte[Math.max(end - start, scratch.length * 2)];
            }
            byte escape = format.escapeChar();
            boolean crlf = format.escapeCrLf();
            int n = 0;
            for (int i = start; i < end; i++) {
                byte c = b[i];
                if (c == escape && i + 1 < end) {
                    byte next = b[++i];
                    if (crlf && next == 'r') {
                        next = '\r';
                    }
                    else if (crlf && next == 'n') {
                        next = '\n';
                    }
                    scratch[n++] = next;
                }
                else {
                    scratch[n++] = c;
                }
            }
            return n;
        }

        private static int indexOf(byte[] b, int start, int end, byte value)
        {
            for (int i = start; i < end; i++) {
                if (b[i] == value) {
                    return i;
                }
            }
            return -1;
        }
    }

    static final class ArrayWriter
            extends TextFieldWriter
    {
        private final TextFormat format;
        private final byte separator;
        private final TextFieldWriter element;

        ArrayWriter(TextFormat format, int level, TextFieldWriter element)
        {
            this.format = format;
            this.separator = format.separator(level);
            this.element = element;
        }

        @Override
        boolean write(FieldVector vector, int index, byte[] b, int start, int end)
        {
            ListVector list = (ListVector) vector;
            FieldVector elements = list.getDataVector();
            int first = list.startNewValue(index);
            int count = 0;
            if (start < end) {
                int item = start;
                while (true) {
                    int itemEnd = itemEnd(format, b, item, end, separator);
                    int position = first + count;
                    if (isNull(format, b, item, itemEnd) || !element.write(elements, position, b, item, itemEnd)) {
                        elements.setNull(position);
                    }
                    count++;
                    if (itemEnd == end) {
                        break;
                    }
                    item = itemEnd + 1;
                }
            }
            list.endValue(index, count);
            return true;
        }
    }

    static final class MapWriter
            extends TextFieldWriter
    {
        private final TextFormat format;
        private final byte entrySeparator;
        private final byte keySeparator;
        private final TextFieldWriter key;
        private final TextFieldWriter value;

        MapWriter(TextFormat format, int level, TextFieldWriter key, TextFieldWriter value)
        {
            this.format = format;
            this.entrySeparator = format.separator(level);
            this.keySeparator = format.separator(level + 1);
            this.key = key;
            this.value = value;
        }

        @Override
        boolean write(FieldVector vector, int index, byte[] b, int start, int end)
        {
            MapVector map = (MapVector) vector;
            StructVector entries = (StructVector) map.getDataVector();
            FieldVector keys = entries.getChild(ArrowTypes.MAP_KEY_NAME);
            FieldVector values = entries.getChild(ArrowTypes.MAP_VALUE_NAME);
            int first = map.startNewValue(index);
            int count = 0;
            if (start < end) {
                int entry = start;
                while (true) {
                    int entryEnd = itemEnd(format, b, entry, end, entrySeparator);
                    int keyEnd = itemEnd(format, b, entry, entryEnd, keySeparator);
                    int position = first + count;
                    if (!isNull(format, b, entry, keyEnd) && key.write(keys, position, b, entry, keyEnd)) {
                        entries.setIndexDefined(position);
                        int valueStart = Math.min(keyEnd + 1, entryEnd);
                        if (keyEnd == entryEnd || isNull(format, b, valueStart, entryEnd) || !value.write(values, position, b, valueStart, entryEnd)) {
                            values.setNull(position);
                        }
                        count++;
                    }
                    if (entryEnd == end) {
                        break;
                    }
                    entry = entryEnd + 1;
                }
            }
            map.endValue(index, count);
            return true;
        }
    }

    static final class RowWriter
            extends TextFieldWriter
    {
        private final TextFormat format;
        private final byte separator;
        private final List<TextFieldWriter> fields;

        RowWriter(TextFormat format, int level, List<TextFieldWriter> fields)
        {
            this.format = format;
            this.separator = format.separator(level);
            this.fields = List.copyOf(fields);
        }

        @Override
        boolean write(FieldVector vector, int index, byte[] b, int start, int end)
        {
            StructVector struct = (StructVector) vector;
            struct.setIndexDefined(index);
            int item = start;
            for (int i = 0; i < fields.size(); i++) {
                FieldVector child = (FieldVector) struct.getChildByOrdinal(i);
                if (item > end) {
                    child.setNull(index);
                    continue;
                }
                int itemEnd = itemEnd(format, b, item, end, separator);
                if (isNull(format, b, item, itemEnd) || !fields.get(i).write(child, index, b, item, itemEnd)) {
                    child.setNull(index);
                }
                item = itemEnd + 1;
            }
            return true;
        }
    }
}
