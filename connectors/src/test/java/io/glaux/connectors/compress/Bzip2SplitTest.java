package io.glaux.connectors.compress;

import static io.glaux.connectors.line.LineFiles.regular;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.FormatRegistry;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.line.LineFiles;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/** bzip2 text split by byte range at its blocks: every line exactly once, whatever the split points. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Bzip2SplitTest
{
    private static final int LINES = 100_000;
    private static final List<ColumnHandle> COLUMNS = List.of(regular("id", Type.BIGINT), regular("v", Type.VARCHAR));

    private LineFiles files;
    private PageSourceFactory factory;
    private byte[] text;

    @BeforeAll
    void setUp()
            throws Exception
    {
        files = new LineFiles();
        factory = FormatRegistry.standard(files.store()).factory("text", Map.of(TableFormats.COLUMNS, "id,v", "field.delim", ","));
        Random random = new Random(42);
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            // varied lengths and all three terminators, so that block boundaries fall anywhere in a line
            content.append(i).append(',').append(Long.toString(random.nextLong(), 36).repeat(1 + random.nextInt(3)));
            content.append(i % 13 == 0 ? "\r\n" : i % 17 == 0 ? "\r" : "\n");
        }
        text = content.toString().getBytes(StandardCharsets.UTF_8);
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        files.close();
    }

    @Test
    void bzip2IsSplittable()
    {
        assertThat(CompressionKind.BZIP2.isSplittable()).isTrue();
        assertThat(TableFormats.isSplittable("text", Map.of(), "a/b.txt.bz2")).isTrue();
        assertThat(TableFormats.isSplittable("csv", Map.of("skip.header.line.count", "1"), "a/b.csv.bz2")).isTrue();
        assertThat(TableFormats.isSplittable("json", Map.of(), "a/b.json.gz")).isFalse();
    }

    @Test
    void randomSplitPointsGiveEveryLineOnce()
    {
        // level 1: 100 kB blocks, so the file has many blocks
        byte[] compressed = compress(1, text);
        assertThat(text.length).isGreaterThan(900 * 1024);
        Split whole = files.put("bz2/multi-block.txt.bz2", compressed);
        List<String> expected = lines(files.read(factory, whole, COLUMNS));
        assertThat(expected).hasSize(LINES);

        Random random = new Random(7);
        for (int round = 0; round < 8; round++) {
            int splits = 2 + random.nextInt(4);
            TreeSet<Long> points = new TreeSet<>();
            while (points.size() < splits - 1) {
                points.add(1 + random.nextLong(compressed.length - 1));
            }
            if (round == 0) {
                // the first block starts at byte 4: a split starting before it owns it and must not skip its first line
                points = new TreeSet<>(List.of(2L, 3L, 4L, 5L));
            }
            assertThat(readSplits(whole, points)).as("split points %s", points).isEqualTo(expected);
        }
    }

    @Test
    void concatenatedStreamsAndHeaderLine()
    {
        byte[] header = "id,v\n".getBytes(StandardCharsets.UTF_8);
        byte[] first = compress(1, concat(header, Arrays.copyOf(text, text.length / 2)));
        byte[] second = compress(9, Arrays.copyOfRange(text, text.length / 2, text.length));
        Split whole = files.put("bz2/concatenated.csv.bz2", concat(first, second));
        PageSourceFactory withHeader = FormatRegistry.standard(files.store())
                .factory("text", Map.of(TableFormats.COLUMNS, "id,v", "field.delim", ",", TableFormats.SKIP_HEADER_LINE_COUNT, "1"));
        List<String> expected = lines(files.read(withHeader, whole, COLUMNS));
        assertThat(expected).hasSize(LINES);
        for (long point : new long[] {first.length - 3, first.length, first.length + 1, first.length / 3}) {
            TreeSet<Long> points = new TreeSet<>(List.of(point));
            List<String> actual = new ArrayList<>();
            long start = 0;
            for (long end : withEnd(points, whole.fileSize())) {
                actual.addAll(lines(files.read(withHeader, subSplit(whole, start, end), COLUMNS)));
                start = end;
            }
            assertThat(actual).as("split at %d", point).isEqualTo(expected);
        }
    }

    @Test
    void truncatedBlockIsCorrupt()
    {
        byte[] compressed = compress(1, text);
        Split truncated = files.put("bz2/truncated.txt.bz2", Arrays.copyOf(compressed, compressed.length / 2));
        assertThatThrownBy(() -> files.read(factory, subSplit(truncated, truncated.fileSize() / 3, truncated.fileSize()), COLUMNS))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CORRUPT_FILE))
                .hasMessageContaining("s3://line-test/bz2/truncated.txt.bz2");
    }

    @Test
    void rangeStreamOwnsDisjointBlocks()
            throws IOException
    {
        byte[] compressed = compress(1, text);
        long total = 0;
        long start = 0;
        for (long end : withEnd(new TreeSet<>(List.of(compressed.length / 4L, compressed.length / 2L)), compressed.length)) {
            try (Bzip2RangeInputStream in = new Bzip2RangeInputStream(new ByteArrayInputStream(compressed, (int) start, compressed.length), start, end)) {
                assertThat(in.startsAtFirstBlock()).isEqualTo(start == 0);
                byte[] data = in.readAllBytes();
                if (end == compressed.length) {
                    assertThat(in.rangeEnd()).isEqualTo(Long.MAX_VALUE);
                    total += data.length;
                }
                else {
                    assertThat(in.rangeEnd()).isBetween(1L, (long) data.length);
                    total += in.rangeEnd();
                }
            }
            start = end;
        }
        assertThat(total).isEqualTo(text.length);
    }

    private List<String> readSplits(Split whole, TreeSet<Long> points)
    {
        List<String> lines = new ArrayList<>();
        long start = 0;
        for (long end : withEnd(points, whole.fileSize())) {
            lines.addAll(lines(files.read(factory, subSplit(whole, start, end), COLUMNS)));
            start = end;
        }
        return lines;
    }

    private static List<Long> withEnd(TreeSet<Long> points, long size)
    {
        List<Long> ends = new ArrayList<>(points);
        ends.add(size);
        return ends;
    }

    private static Split subSplit(Split whole, long start, long end)
    {
        return new Split(whole.bucket(), whole.key(), start, end - start, whole.fileSize(), whole.lastModifiedMillis(), Map.of());
    }

    private static List<String> lines(List<List<Object>> rows)
    {
        return rows.stream().map(row -> row.get(0) + "," + row.get(1)).toList();
    }

    private static byte[] compress(int level, byte[] data)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream out = new BZip2CompressorOutputStream(bytes, level)) {
            out.write(data);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b)
    {
        byte[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
