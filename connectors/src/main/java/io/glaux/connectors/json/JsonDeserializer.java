package io.glaux.connectors.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.BufferRecycler;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.line.LineDeserializer;
import io.glaux.connectors.line.MalformedLineException;
import org.apache.arrow.vector.FieldVector;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@link JsonFormat} lines with Jackson's streaming parser, one parser per line, writing each
 * value straight into its column's vector: no tree, no per-row maps. Keys are looked up through a
 * cache keyed by Jackson's canonical key strings, so a key costs one hash lookup after its first line.
 */
final class JsonDeserializer
        implements LineDeserializer
{
    private static final int MAX_CACHED_KEYS = 10_000;

    private final JsonFormat format;
    private final Map<String, Integer> columnsByKey;
    private final Map<String, Integer> keyCache = new HashMap<>();
    private final String[] recentKeys = new String[64];
    private final int[] recentColumns = new int[64];
    /** Jackson's text and name buffers, reused by the parser of every line. */
    private final BufferRecycler buffers = new BufferRecycler();
    private final JsonValueWriter[] writers;
    private FieldVector[] vectors = new FieldVector[0];

    JsonDeserializer(JsonFormat format, List<ColumnHandle> columns, Map<String, Integer> columnsByKey)
    {
        this.format = format;
        this.columnsByKey = Map.copyOf(columnsByKey);
        JsonValueWriter.Utf8 utf8 = new JsonValueWriter.Utf8(format);
        this.writers = new JsonValueWriter[columns.size()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = JsonValueWriter.create(columns.get(i).name(), columns.get(i).type(), format, utf8);
        }
    }

    @Override
    public void startBatch(List<FieldVector> vectors)
    {
        this.vectors = vectors.toArray(new FieldVector[0]);
    }

    @Override
    public boolean isRow(byte[] line, int offset, int length)
    {
        return !isBlank(line, offset, length);
    }

    @Override
    public boolean deserialize(byte[] line, int offset, int length, int row)
    {
        if (isBlank(line, offset, length)) {
            return false;
        }
        int start = offset;
        int end = offset + length;
        if (length >= 3 && line[start] == (byte) 0xEF && line[start + 1] == (byte) 0xBB && line[start + 2] == (byte) 0xBF) {
            // a byte order mark (the parser does not look for one)
            start += 3;
        }
        try (JsonParser parser = format.factory().createLineParser(buffers, line, start, end - start)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return malformed(row, "a line must be a JSON object, not " + describe(parser.currentToken(), "the end of the line"), null);
            }
            int field = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                int column = column(field++, parser.currentName());
                parser.nextToken();
                if (column < 0) {
                    parser.skipChildren();
                    continue;
                }
                // a repeated key takes its last value (the writers overwrite the row)
                writers[column].write(parser, vectors[column], row);
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                return malformed(row, "unexpected " + describe(parser.currentToken(), "the end of the line"), null);
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                return malformed(row, "unexpected " + describe(trailing, "the end of the line") + " after the object at column " + parser.currentLocation().getColumnNr(), null);
            }
        }
        catch (StreamConstraintsException e) {
            throw new MalformedLineException(e.getOriginalMessage(), e);
        }
        catch (JsonProcessingException e) {
            return malformed(row, e.getOriginalMessage() + " at column " + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()), e);
        }
        catch (IOException e) {
            throw new MalformedLineException(e.toString(), e);
        }
        return true;
    }

    /** With {@code ignore.malformed.json} the line is a row of NULLs; otherwise it is an error. */
    private boolean malformed(int row, String message, Throwable cause)
    {
        if (!format.ignoreMalformed()) {
            throw new MalformedLineException("invalid JSON: " + message, cause);
        }
        for (FieldVector vector : vectors) {
            // undo what the line wrote before it turned out malformed
            vector.setNull(row);
        }
        return true;
    }

    /**
     * The column of the {@code field}-th key of the line. Lines usually repeat the previous line's keys
     * in the same order, and Jackson returns the same canonical String for the same key, so the key
     * seen at this position last time usually answers without a hash lookup.
     */
    private int column(int field, String key)
    {
        if (field < recentKeys.length) {
            if (recentKeys[field] == key) {
                return recentColumns[field];
            }
            int column = column(key);
            recentKeys[field] = key;
            recentColumns[field] = column;
            return column;
        }
        return column(key);
    }

    private int column(String key)
    {
        Integer column = keyCache.get(key);
        if (column == null) {
            column = columnsByKey.getOrDefault(format.normalizeKey(key), -1);
            if (keyCache.size() < MAX_CACHED_KEYS) {
                keyCache.put(key, column);
            }
        }
        return column;
    }

    /** A JSON token as named in error messages; {@code end} names the end of the input (null token). */
    static String describe(JsonToken token, String end)
    {
        if (token == null) {
            return end;
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }

    private static boolean isBlank(byte[] line, int offset, int length)
    {
        for (int i = offset; i < offset + length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\f') {
                return false;
            }
        }
        return true;
    }
}
