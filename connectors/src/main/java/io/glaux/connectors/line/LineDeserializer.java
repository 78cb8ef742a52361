package io.glaux.connectors.line;

import org.apache.arrow.vector.FieldVector;

import java.util.List;

/**
 * Decodes lines into rows of Arrow vectors, for one split: the columns are the ones the deserializer
 * was created for ({@link LineFormat#createDeserializer}). Not thread-safe.
 */
public interface LineDeserializer
{
    /**
     * Called before the lines of each batch with that batch's vectors, freshly allocated (every value
     * NULL), one per column, in order.
     */
    void startBatch(List<FieldVector> vectors);

    /**
     * Decodes {@code line[offset, offset + length)} into row {@code row} of the vectors. A value the
     * line does not set stays NULL.
     *
     * @return false when the line is no row at all (e.g. a blank line in a JSON file); then nothing was written
     * @throws MalformedLineException when the line cannot be decoded
     */
    boolean deserialize(byte[] line, int offset, int length, int row);

    /** Whether the line is a row, without decoding it (for scans that need no column, like {@code count(*)}). */
    default boolean isRow(byte[] line, int offset, int length)
    {
        return true;
    }
}
