package io.glaux.connectors.format;

import static java.util.Objects.requireNonNull;

/**
 * One batch's values of a varchar column as ids into a dictionary, instead of the values themselves
 * (see {@link PageSource#requestDictionaryIds}): row {@code r}'s value is {@code dictionary} value
 * {@code ids[r]}, or NULL when {@code ids[r]} is negative. Every id is below {@link Dictionary#size()}.
 * {@code ids} is valid until the page source's next batch (the source reuses it).
 */
public record DictionaryIds(Dictionary dictionary, int[] ids, int rows)
{
    public DictionaryIds
    {
        requireNonNull(dictionary, "dictionary is null");
        requireNonNull(ids, "ids is null");
        if (rows < 0 || rows > ids.length) {
            throw new IllegalArgumentException("rows " + rows + " out of range for " + ids.length + " ids");
        }
    }

    /**
     * The distinct values of a column chunk, back to back in {@code bytes}: value {@code i} is
     * {@code bytes[offsets[i], offsets[i + 1])}. One instance per chunk: consumers may key caches on its
     * identity (two chunks' dictionaries are different instances even when equal).
     */
    public static final class Dictionary
    {
        private final byte[] bytes;
        private final int[] offsets;
        private final int size;

        public Dictionary(byte[] bytes, int[] offsets, int size)
        {
            this.bytes = requireNonNull(bytes, "bytes is null");
            this.offsets = requireNonNull(offsets, "offsets is null");
            if (size < 0 || offsets.length <= size) {
                throw new IllegalArgumentException("size " + size + " out of range for " + offsets.length + " offsets");
            }
            this.size = size;
        }

        public byte[] bytes()
        {
            return bytes;
        }

        public int[] offsets()
        {
            return offsets;
        }

        public int size()
        {
            return size;
        }
    }
}
