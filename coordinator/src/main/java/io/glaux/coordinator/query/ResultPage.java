package io.glaux.coordinator.query;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One page of a query's result for the protocol's {@code data} field: rows of encoded values
 * ({@link RowEncoder}), or (the engine's results) the JSON array of the rows written straight from
 * the Arrow vectors.
 */
public sealed interface ResultPage
{
    int rowCount();

    /** Encoded values, serialized with the rest of the response. */
    record Values(List<List<Object>> rows)
            implements ResultPage
    {
        public Values
        {
            requireNonNull(rows, "rows is null");
        }

        @Override
        public int rowCount()
        {
            return rows.size();
        }
    }

    /** {@code json}: the rows as a JSON array ({@code [[v, ...], ...]}) in UTF-8, written into the response as it is. */
    record Json(byte[] json, int rowCount)
            implements ResultPage
    {
        public Json
        {
            requireNonNull(json, "json is null");
        }

        /** The page as a value Jackson writes into a document verbatim (no copy into a String and back). */
        public com.fasterxml.jackson.databind.util.RawValue rawValue()
        {
            return new com.fasterxml.jackson.databind.util.RawValue(new RawJson(json));
        }
    }

    /** UTF-8 JSON text that a generator copies as it is ({@link com.fasterxml.jackson.core.JsonGenerator#writeRawValue}). */
    final class RawJson
            implements com.fasterxml.jackson.core.SerializableString
    {
        private final byte[] utf8;

        RawJson(byte[] utf8)
        {
            this.utf8 = requireNonNull(utf8, "utf8 is null");
        }

        @Override
        public String getValue()
        {
            return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public int charLength()
        {
            return getValue().length();
        }

        @Override
        public char[] asQuotedChars()
        {
            return getValue().toCharArray();
        }

        @Override
        public byte[] asUnquotedUTF8()
        {
            return utf8;
        }

        @Override
        public byte[] asQuotedUTF8()
        {
            return utf8;
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset)
        {
            return appendUnquotedUTF8(buffer, offset);
        }

        @Override
        public int appendQuoted(char[] buffer, int offset)
        {
            return appendUnquoted(buffer, offset);
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset)
        {
            if (offset + utf8.length > buffer.length) {
                return -1;
            }
            System.arraycopy(utf8, 0, buffer, offset, utf8.length);
            return utf8.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset)
        {
            char[] chars = asQuotedChars();
            if (offset + chars.length > buffer.length) {
                return -1;
            }
            System.arraycopy(chars, 0, buffer, offset, chars.length);
            return chars.length;
        }

        @Override
        public int writeQuotedUTF8(java.io.OutputStream out)
                throws java.io.IOException
        {
            return writeUnquotedUTF8(out);
        }

        @Override
        public int writeUnquotedUTF8(java.io.OutputStream out)
                throws java.io.IOException
        {
            out.write(utf8);
            return utf8.length;
        }

        @Override
        public int putQuotedUTF8(java.nio.ByteBuffer buffer)
        {
            return putUnquotedUTF8(buffer);
        }

        @Override
        public int putUnquotedUTF8(java.nio.ByteBuffer buffer)
        {
            if (buffer.remaining() < utf8.length) {
                return -1;
            }
            buffer.put(utf8);
            return utf8.length;
        }
    }
}
