package io.glaux.connectors.line;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class LineReaderTest
{
    @Test
    void terminators()
            throws IOException
    {
        assertThat(lines("a\nb\r\nc\rd", 0, Long.MAX_VALUE)).containsExactly("a", "b", "c", "d");
        assertThat(lines("a\n\nb\n", 0, Long.MAX_VALUE)).containsExactly("a", "", "b");
        assertThat(lines("\r\n\r\n", 0, Long.MAX_VALUE)).containsExactly("", "");
        assertThat(lines("", 0, Long.MAX_VALUE)).isEmpty();
        assertThat(lines("\n", 0, Long.MAX_VALUE)).containsExactly("");
        assertThat(lines("no terminator", 0, Long.MAX_VALUE)).containsExactly("no terminator");
    }

    @Test
    void lineNumbersAndOffsets()
            throws IOException
    {
        LineReader reader = new LineReader(new ByteArrayInputStream("ab\r\ncd\n\nef".getBytes(UTF_8)), 0, Long.MAX_VALUE, 100);
        List<String> seen = new ArrayList<>();
        while (reader.next()) {
            seen.add(reader.lineNumber() + "@" + reader.lineOffset() + ":" + new String(reader.buffer(), reader.lineStart(), reader.lineLength(), UTF_8));
        }
        assertThat(seen).containsExactly("1@0:ab", "2@4:cd", "3@7:", "4@8:ef");
    }

    @Test
    void splitSkipsItsFirstPartialLineAndFinishesItsLastOne()
            throws IOException
    {
        String text = "aaaa\nbbbb\ncccc\n";
        // [0, 7): "aaaa" and "bbbb" (starts at 5 <= 7, read to its end)
        assertThat(lines(text, 0, 7)).containsExactly("aaaa", "bbbb");
        // [7, 15): skips the rest of "bbbb", reads "cccc"
        assertThat(lines(text, 7, 15)).containsExactly("cccc");
        // a split ending exactly before a line start also reads that line ...
        assertThat(lines(text, 0, 5)).containsExactly("aaaa", "bbbb");
        // ... and the split starting there skips it
        assertThat(lines(text, 5, 15)).containsExactly("cccc");
    }

    @Test
    void everyLineExactlyOnceForEverySplitSize()
            throws IOException
    {
        Random random = new Random(42);
        String[] terminators = {"\n", "\r\n", "\r"};
        for (int round = 0; round < 30; round++) {
            StringBuilder text = new StringBuilder();
            int lineCount = 1 + random.nextInt(40);
            for (int i = 0; i < lineCount; i++) {
                text.append(random.nextInt(8) == 0 ? "" : "line-" + i + "-" + "ü".repeat(random.nextInt(30)));
                if (i < lineCount - 1 || random.nextBoolean()) {
                    text.append(terminators[random.nextInt(terminators.length)]);
                }
            }
            List<String> expected = referenceLines(text.toString());
            byte[] bytes = text.toString().getBytes(UTF_8);
            List<String> whole = lines(bytes, 0, Long.MAX_VALUE, 1 << 20);
            assertThat(whole).as("whole file, round %d", round).isEqualTo(expected);
            for (int splitSize = 1; splitSize <= bytes.length + 1; splitSize++) {
                List<String> all = new ArrayList<>();
                for (long start = 0; start < bytes.length; start += splitSize) {
                    long end = Math.min(bytes.length, start + splitSize);
                    all.addAll(lines(bytes, start, end, 1 << 20));
                }
                assertThat(all).as("round %d, split size %d", round, splitSize).isEqualTo(expected);
            }
        }
    }

    @Test
    void longLinesGrowTheBufferUpToTheLimit()
            throws IOException
    {
        String longLine = "y".repeat(1_000_000);
        assertThat(lines(longLine + "\nshort\n", 0, Long.MAX_VALUE)).containsExactly(longLine, "short");
        byte[] bytes = ("ok\n" + "z".repeat(5000) + "\nok\n").getBytes(UTF_8);
        LineReader reader = new LineReader(new ByteArrayInputStream(bytes), 0, Long.MAX_VALUE, 4096);
        assertThat(reader.next()).isTrue();
        assertThatThrownBy(reader::next)
                .isInstanceOfSatisfying(LineReader.LineTooLongException.class, e -> assertThat(e.offset()).isEqualTo(3))
                .hasMessage("line is longer than 4096 bytes");
        // a skipped partial first line may be longer than the limit: it is not kept
        assertThat(lines(bytes, 4, bytes.length, 100)).containsExactly("ok");
    }

    @Test
    void carriageReturnAtTheEndOfARead()
            throws IOException
    {
        // the stream returns one byte per read, so "\r" and "\n" arrive separately
        byte[] bytes = "a\r\nb\r\n\r\nc".getBytes(UTF_8);
        LineReader reader = new LineReader(new OneByteInputStream(bytes), 0, Long.MAX_VALUE, 100);
        List<String> seen = new ArrayList<>();
        while (reader.next()) {
            seen.add(new String(reader.buffer(), reader.lineStart(), reader.lineLength(), UTF_8) + "@" + reader.lineOffset());
        }
        assertThat(seen).containsExactly("a@0", "b@3", "@6", "c@8");
    }

    /** Lines as Hadoop defines them, the simple way. */
    private static List<String> referenceLines(String text)
    {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(line.toString());
                line.setLength(0);
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            }
            else {
                line.append(c);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static List<String> lines(String text, long start, long end)
            throws IOException
    {
        return lines(text.getBytes(UTF_8), start, end, 1 << 20);
    }

    private static List<String> lines(byte[] bytes, long start, long end, int maxLineLength)
            throws IOException
    {
        InputStream in = new OneByteInputStream(bytes);
        in.skipNBytes(start);
        LineReader reader = new LineReader(in, start, end, maxLineLength);
        List<String> lines = new ArrayList<>();
        while (reader.next()) {
            lines.add(new String(reader.buffer(), reader.lineStart(), reader.lineLength(), UTF_8));
        }
        return lines;
    }

    /** Returns 1 to 3 bytes per read, so that lines and terminators straddle reads. */
    private static final class OneByteInputStream
            extends InputStream
    {
        private final byte[] data;
        private int position;

        OneByteInputStream(byte[] data)
        {
            this.data = data;
        }

        @Override
        public int read()
        {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len)
        {
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + position % 3), data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }
}
