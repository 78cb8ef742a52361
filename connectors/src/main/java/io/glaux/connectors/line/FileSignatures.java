package io.glaux.connectors.line;

/**
 * Recognizes, from its first bytes, an object that is not text at all: a binary format (Parquet, ORC,
 * Avro) or compressed data whose name lacks the extension that says so. Reading such an object as
 * lines would produce garbage rows, or NULLs, instead of an error.
 */
final class FileSignatures
{
    private record Signature(byte[] magic, String description) {}

    private static final Signature[] SIGNATURES = {
            new Signature(new byte[] {'P', 'A', 'R', '1'}, "a Parquet file"),
            new Signature(new byte[] {'O', 'R', 'C'}, "an ORC file"),
            new Signature(new byte[] {'O', 'b', 'j', 1}, "an Avro file"),
            new Signature(new byte[] {'S', 'E', 'Q', 6}, "a Hadoop SequenceFile"),
            new Signature(new byte[] {0x1f, (byte) 0x8b}, "gzip-compressed data, but its name does not end in .gz"),
            new Signature(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, "zstd-compressed data, but its name does not end in .zst"),
            new Signature(new byte[] {'B', 'Z', 'h'}, "bzip2-compressed data, but its name does not end in .bz2"),
            new Signature(new byte[] {(byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'}, "Snappy-compressed data, but its name does not end in .snappy"),
            new Signature(new byte[] {'P', 'K', 3, 4}, "a ZIP archive"),
    };

    private FileSignatures() {}

    /** What the object starting with {@code b[offset, offset + length)} is, when it is recognizably not text; null otherwise. */
    static String describe(byte[] b, int offset, int length)
    {
        for (Signature signature : SIGNATURES) {
            byte[] magic = signature.magic();
            if (length >= magic.length && java.util.Arrays.equals(b, offset, offset + magic.length, magic, 0, magic.length)) {
                if (magic[0] == 'B' && (length < 4 || b[offset + 3] < '1' || b[offset + 3] > '9')) {
                    // "BZh" followed by the block size digit; "BZh" alone may be text
                    continue;
                }
                if (magic[0] == 'O' && magic.length == 3 && length > 3 && (b[offset + 3] & 0xff) >= ' ' && (b[offset + 3] & 0xff) < 0x7f) {
                    // "ORC" followed by text is text
                    continue;
                }
                return signature.description();
            }
        }
        return null;
    }
}
