package io.glaux.connectors.regex;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

/**
 * One line matched by a compiled pattern, reused line after line: RE2/J (linear time) wherever the
 * pattern allows it, else java.util.regex with a time bound per line that also honours cancellation
 * (an interrupted thread), so no pattern can hold a driver thread indefinitely.
 */
abstract sealed class LineMatcher
        permits LineMatcher.Re2, LineMatcher.Bounded
{
    /** Matches {@code input}: as a whole ({@code wholeLine}) or anywhere in it. */
    abstract boolean match(CharSequence input, boolean wholeLine);

    /** Where group {@code group} starts, or -1 when it did not take part in the match. */
    abstract int start(int group);

    abstract int end(int group);

    static final class Re2
            extends LineMatcher
    {
        private final com.google.re2j.Matcher matcher;

        Re2(com.google.re2j.Pattern pattern)
        {
            this.matcher = pattern.matcher("");
        }

        @Override
        boolean match(CharSequence input, boolean wholeLine)
        {
            matcher.reset(input);
            return wholeLine ? matcher.matches() : matcher.find();
        }

        @Override
        int start(int group)
        {
            return matcher.start(group);
        }

        @Override
        int end(int group)
        {
            return matcher.end(group);
        }
    }

    /** java.util.regex for what RE2 cannot express (lookaround, possessive quantifiers), within {@code maxNanosPerLine}. */
    static final class Bounded
            extends LineMatcher
    {
        private final java.util.regex.Matcher matcher;
        private final DeadlineSequence input = new DeadlineSequence();
        private final long maxNanosPerLine;
        private final String source;

        /** {@code source} names the pattern's table property, for the error. */
        Bounded(java.util.regex.Pattern pattern, long maxNanosPerLine, String source)
        {
            this.matcher = pattern.matcher("");
            this.maxNanosPerLine = maxNanosPerLine;
            this.source = requireNonNull(source, "source is null");
        }

        @Override
        boolean match(CharSequence line, boolean wholeLine)
        {
            // a long line gets a microsecond per character more
            input.set(line, System.nanoTime() + maxNanosPerLine + line.length() * 1_000L);
            matcher.reset(input);
            try {
                return wholeLine ? matcher.matches() : matcher.find();
            }
            catch (DeadlineSequence.Expired e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled");
                }
                throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, ("The pattern of %s took longer than %d ms (plus 1 µs per character) on one line of %d characters: it backtracks"
                        + " without bound (nested repetition such as (a+)+). Rewrite it without backtracking constructs").formatted(source,
                        maxNanosPerLine / 1_000_000, line.length()));
            }
        }

        @Override
        int start(int group)
        {
            return matcher.start(group);
        }

        @Override
        int end(int group)
        {
            return matcher.end(group);
        }
    }

    /** A line that stops the matcher reading it once its deadline passed or its thread was interrupted. */
    private static final class DeadlineSequence
            implements CharSequence
    {
        private static final class Expired
                extends RuntimeException
        {
            Expired()
            {
                super(null, null, false, false);
            }
        }

        private CharSequence line;
        private long deadline;
        private int reads;

        void set(CharSequence line, long deadline)
        {
            this.line = line;
            this.deadline = deadline;
            this.reads = 0;
        }

        @Override
        public int length()
        {
            return line.length();
        }

        @Override
        public char charAt(int index)
        {
            // the clock is read every 64K characters: a few microseconds apart
            if ((++reads & 0xFFFF) == 0 && (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted())) {
                throw new Expired();
            }
            return line.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end)
        {
            return line.subSequence(start, end);
        }

        @Override
        public String toString()
        {
            return line.toString();
        }
    }
}
