package io.glaux.engine.expr;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compiled SQL LIKE pattern matched against UTF-8 bytes. {@code %} matches any sequence of
 * characters, {@code _} exactly one character (code point); the optional escape character makes the
 * next {@code %}, {@code _} or escape literal. Patterns without {@code _} of the forms {@code abc},
 * {@code abc%}, {@code %abc}, {@code %abc%} and {@code %} get dedicated matchers; others are matched
 * segment by segment (leftmost match of each {@code %}-separated segment, which is exact for LIKE).
 */
final class LikePattern
{
    enum Kind
    {
        EXACT, PREFIX, SUFFIX, CONTAINS, ANY, GENERAL
    }

    private static final int ONE_CHAR = -1;

    private final Kind kind;
    private final byte[] literal;
    /** GENERAL: the segments between %s; items are bytes (0..255) or ONE_CHAR. */
    private final int[][] segments;

    private LikePattern(Kind kind, byte[] literal, int[][] segments)
    {
        this.kind = kind;
        this.literal = literal;
        this.segments = segments;
    }

    Kind kind()
    {
        return kind;
    }

    static LikePattern compile(String pattern, String escape)
    {
        int escapeChar = -1;
        if (escape != null) {
            if (escape.codePointCount(0, escape.length()) != 1) {
                throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Escape string must be a single character: '" + escape + "'");
            }
            escapeChar = escape.codePointAt(0);
        }
        List<int[]> segments = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        boolean anyOneChar = false;
        boolean lastWasPercent = false;
        int i = 0;
        while (i < pattern.length()) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == escapeChar) {
                if (i >= pattern.length()) {
                    throw escapeError(pattern);
                }
                int next = pattern.codePointAt(i);
                i += Character.charCount(next);
                if (next != '%' && next != '_' && next != escapeChar) {
                    throw escapeError(pattern);
                }
                addLiteral(current, next);
                lastWasPercent = false;
            }
            else if (cp == '%') {
                if (!lastWasPercent) {
                    segments.add(toArray(current));
                    current.clear();
                }
                lastWasPercent = true;
            }
            else if (cp == '_') {
                current.add(ONE_CHAR);
                anyOneChar = true;
                lastWasPercent = false;
            }
            else {
                addLiteral(current, cp);
                lastWasPercent = false;
            }
        }
        segments.add(toArray(current));

        int[][] parts = segments.toArray(int[][]::new);
        if (!anyOneChar) {
            int n = parts.length;
            if (n == 1) {
                return new LikePattern(Kind.EXACT, bytes(parts[0]), null);
            }
            if (n == 2 && parts[0].length == 0 && parts[1].length == 0) {
                return new LikePattern(Kind.ANY, null, null);
            }
            if (n == 2 && parts[1].length == 0) {
                return new LikePattern(Kind.PREFIX, bytes(parts[0]), null);
            }
            if (n == 2 && parts[0].length == 0) {
                return new LikePattern(Kind.SUFFIX, bytes(parts[1]), null);
            }
            if (n == 3 && parts[0].length == 0 && parts[2].length == 0) {
                return new LikePattern(Kind.CONTAINS, bytes(parts[1]), null);
            }
        }
        return new LikePattern(Kind.GENERAL, null, parts);
    }

    private static GlauxException escapeError(String pattern)
    {
        return new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT,
                "Escape character must be followed by '%', '_' or the escape character: '" + pattern + "'");
    }

    private static void addLiteral(List<Integer> items, int codePoint)
    {
        for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
            items.add(b & 0xFF);
        }
    }

    private static int[] toArray(List<Integer> items)
    {
        return items.stream().mapToInt(Integer::intValue).toArray();
    }

    private static byte[] bytes(int[] items)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream(items.length);
        for (int item : items) {
            out.write(item);
        }
        return out.toByteArray();
    }

    boolean matches(byte[] value, int from, int to)
    {
        return switch (kind) {
            case EXACT -> Arrays.equals(value, from, to, literal, 0, literal.length);
            case PREFIX -> to - from >= literal.length && Arrays.equals(value, from, from + literal.length, literal, 0, literal.length);
            case SUFFIX -> to - from >= literal.length && Arrays.equals(value, to - literal.length, to, literal, 0, literal.length);
            case CONTAINS -> indexOf(value, from, to, literal) >= 0;
            case ANY -> true;
            case GENERAL -> matchesGeneral(value, from, to);
        };
    }

    /** Selects dense indexes j of the block whose value matches ({@code flip} 0) or does not ({@code flip} 1). */
    int select(Block block, int count, int flip, int[] hits)
    {
        byte[] bytes = block.bytes;
        int[] offsets = block.offsets;
        byte[] lit = literal;
        int n = 0;
        switch (kind) {
            case EXACT -> {
                for (int j = 0; j < count; j++) {
                    hits[n] = j;
                    n += (Arrays.equals(bytes, offsets[j], offsets[j + 1], lit, 0, lit.length) ? 1 : 0) ^ flip;
                }
            }
            case PREFIX -> {
                for (int j = 0; j < count; j++) {
                    int from = offsets[j];
                    boolean match = offsets[j + 1] - from >= lit.length && Arrays.equals(bytes, from, from + lit.length, lit, 0, lit.length);
                    hits[n] = j;
                    n += (match ? 1 : 0) ^ flip;
                }
            }
            case SUFFIX -> {
                for (int j = 0; j < count; j++) {
                    int to = offsets[j + 1];
                    boolean match = to - offsets[j] >= lit.length && Arrays.equals(bytes, to - lit.length, to, lit, 0, lit.length);
                    hits[n] = j;
                    n += (match ? 1 : 0) ^ flip;
                }
            }
            case CONTAINS -> {
                if (lit.length == 0) {
                    for (int j = 0; j < count; j++) {
                        hits[n] = j;
                        n += 1 ^ flip;
                    }
                }
                else {
                    n = ByteSearch.selectContaining(bytes, offsets, count, lit, flip, hits);
                }
            }
            case ANY -> {
                for (int j = 0; j < count; j++) {
                    hits[n] = j;
                    n += 1 ^ flip;
                }
            }
            case GENERAL -> {
                for (int j = 0; j < count; j++) {
                    hits[n] = j;
                    n += (matchesGeneral(bytes, offsets[j], offsets[j + 1]) ? 1 : 0) ^ flip;
                }
            }
        }
        return n;
    }

    static int indexOf(byte[] value, int from, int to, byte[] needle)
    {
        int length = needle.length;
        if (length == 0) {
            return from;
        }
        return ByteSearch.indexOf(value, from, to, needle);
    }

    private boolean matchesGeneral(byte[] value, int from, int to)
    {
        int[][] parts = segments;
        int last = parts.length - 1;
        int p = matchAt(parts[0], value, from, to);
        if (p < 0) {
            return false;
        }
        if (last == 0) {
            return p == to;
        }
        for (int i = 1; i < last; i++) {
            p = find(parts[i], value, p, to);
            if (p < 0) {
                return false;
            }
        }
        int[] tail = parts[last];
        if (tail.length == 0) {
            return true;
        }
        for (int q = p; q < to; q++) {
            if (!isContinuation(value[q]) && matchAt(tail, value, q, to) == to) {
                return true;
            }
        }
        return false;
    }

    /** Matches the segment at {@code p}; returns the end position or -1. */
    private static int matchAt(int[] segment, byte[] value, int p, int to)
    {
        for (int item : segment) {
            if (p >= to) {
                return -1;
            }
            if (item == ONE_CHAR) {
                p = Math.min(to, p + utf8Length(value[p]));
            }
            else if ((value[p] & 0xFF) != item) {
                return -1;
            }
            else {
                p++;
            }
        }
        return p;
    }

    /** The end of the leftmost match of the segment at or after {@code from}, or -1. */
    private static int find(int[] segment, byte[] value, int from, int to)
    {
        for (int q = from; q < to; q++) {
            if (isContinuation(value[q])) {
                continue;
            }
            int end = matchAt(segment, value, q, to);
            if (end >= 0) {
                return end;
            }
        }
        return -1;
    }

    private static boolean isContinuation(byte b)
    {
        return (b & 0xC0) == 0x80;
    }

    private static int utf8Length(byte lead)
    {
        int b = lead & 0xFF;
        if (b < 0x80) {
            return 1;
        }
        if (b >= 0xF0) {
            return 4;
        }
        if (b >= 0xE0) {
            return 3;
        }
        if (b >= 0xC0) {
            return 2;
        }
        return 1;
    }
}
