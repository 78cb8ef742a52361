package io.glaux.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;
import com.fasterxml.jackson.core.util.BufferRecycler;

/**
 * Jackson's UTF-8 parser over one line, which also shows the raw bytes of a string value that needs no
 * decoding. Jackson reads a string's characters only when asked ({@code _tokenIncomplete}); for the
 * common ASCII string without escapes, the input bytes between the quotes are the value's UTF-8, so a
 * writer can copy them straight into a vector, skipping Jackson's decoding to chars and the encoding
 * back. Peeking leaves the parser's state as it is: the next token skips the string as usual.
 */
final class LineJsonParser
        extends UTF8StreamJsonParser
{
    private LineJsonParser(IOContext context, int features, ObjectCodec codec, ByteQuadsCanonicalizer symbols, byte[] input, int start, int end)
    {
        super(context, features, null, codec, symbols, input, start, end, 0, false);
    }

    /**
     * When the current token is a double-quoted string not read yet, made of printable ASCII without
     * backslash escapes: its length in bytes, the bytes being {@link #input()} from {@link #stringStart()}.
     * Otherwise -1 (read the string through the usual getters).
     */
    int plainStringLength()
    {
        if (!_tokenIncomplete || _currToken != JsonToken.VALUE_STRING) {
            return -1;
        }
        byte[] b = _inputBuffer;
        int start = _inputPtr;
        if (start == 0 || b[start - 1] != '"') {
            return -1;
        }
        int end = _inputEnd;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                return i - start;
            }
            // escapes, control characters (an error Jackson reports) and non-ASCII bytes (UTF-8 it validates)
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    /** The buffer holding the line. */
    byte[] input()
    {
        return _inputBuffer;
    }

    /** Where the current unread string's bytes start in {@link #input()} (see {@link #plainStringLength()}). */
    int stringStart()
    {
        return _inputPtr;
    }

    /**
     * A {@link JsonFactory} that creates {@link LineJsonParser}s over byte ranges without Jackson's
     * encoding detection: lines are UTF-8 (the reader drops a byte order mark at the start of an object).
     */
    static final class Factory
            extends JsonFactory
    {
        private static final long serialVersionUID = 1;

        Factory(JsonFactoryBuilder builder)
        {
            super(builder);
        }

        /**
         * A parser over {@code line[offset, offset + length)} using the caller's (single-threaded)
         * buffers: no thread-local lookup per line.
         */
        LineJsonParser createLineParser(BufferRecycler buffers, byte[] line, int offset, int length)
        {
            IOContext context = new IOContext(_streamReadConstraints, _streamWriteConstraints, _errorReportConfiguration, buffers,
                    _createContentReference(line, offset, length), true);
            return new LineJsonParser(context, _parserFeatures, _objectCodec, _byteSymbolCanonicalizer.makeChild(_factoryFeatures), line, offset, offset + length);
        }
    }
}
