package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.INTEGER;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VARCHAR;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.constant;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static io.glaux.engine.expr.FunctionRegistry.returns;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.glaux.spi.type.Type;

import java.util.List;

/**
 * Regular expressions with RE2/J: matching takes time linear in the input whatever the pattern, so a
 * hostile pattern cannot stall a worker. RE2 syntax has no backreferences and no lookaround (Trino's
 * default library, Joni, has them): such a pattern fails with INVALID_FUNCTION_ARGUMENT. The pattern
 * must be a constant. ASCII rows are matched in place, without copying.
 */
final class RegexpFunctions
{
    private static final String DIFFERENCE = "RE2 syntax: no backreferences or lookaround; the pattern must be a constant.";

    private RegexpFunctions() {}

    static void register(FunctionRegistry.Builder b)
    {
        b.add("regexp_like", args(VARCHAR, VARCHAR), false, returns(Type.BOOLEAN), "boolean", "Whether the pattern matches anywhere in the string.",
                DIFFERENCE, (a, c, t) -> new Regexp(t, a, c, Mode.LIKE), 1);
        b.add("regexp_extract", args(VARCHAR, VARCHAR), false, returns(Type.VARCHAR), "varchar", "The first match of the pattern, NULL when none.",
                DIFFERENCE, (a, c, t) -> new Regexp(t, a, c, Mode.EXTRACT), 1);
        b.add("regexp_extract", args(VARCHAR, VARCHAR, INTEGER), false, returns(Type.VARCHAR), "varchar",
                "Capturing group `group` of the first match, NULL when none.", DIFFERENCE, (a, c, t) -> new Regexp(t, a, c, Mode.EXTRACT), 1);
        b.add("regexp_replace", args(VARCHAR, VARCHAR), false, returns(Type.VARCHAR), "varchar", "Removes every match of the pattern.",
                DIFFERENCE, (a, c, t) -> new Regexp(t, a, c, Mode.REPLACE), 1);
        b.add("regexp_replace", args(VARCHAR, VARCHAR, VARCHAR), false, returns(Type.VARCHAR), "varchar",
                "Replaces every match with `replacement` (`$1`, `${name}` refer to groups).", DIFFERENCE, (a, c, t) -> new Regexp(t, a, c, Mode.REPLACE), 1, 2);
        b.add("regexp_count", args(VARCHAR, VARCHAR), false, returns(Type.BIGINT), "bigint", "How many times the pattern matches.",
                DIFFERENCE, (a, c, t) -> new Regexp(t, a, c, Mode.COUNT), 1);
        b.add("regexp_position", args(VARCHAR, VARCHAR), false, returns(Type.INTEGER), "integer",
                "Position (1-based) of the first match, -1 when none.", DIFFERENCE, (a, c, t) -> new Regexp(t, a, c, Mode.POSITION), 1);
        b.add("regexp_position", args(VARCHAR, VARCHAR, INTEGER), false, returns(Type.INTEGER), "integer",
                "Position of the first match at or after `start`, -1 when none.", DIFFERENCE, (a, c, t) -> new Regexp(t, a, c, Mode.POSITION), 1);
        b.add("regexp_position", args(VARCHAR, VARCHAR, INTEGER, INTEGER), false, returns(Type.INTEGER), "integer",
                "Position of match number `occurrence` at or after `start`, -1 when none.", DIFFERENCE, (a, c, t) -> new Regexp(t, a, c, Mode.POSITION), 1);
    }

    static Pattern compile(String pattern)
    {
        try {
            return Pattern.compile(pattern);
        }
        catch (PatternSyntaxException e) {
            throw invalidArgument("Invalid regular expression '" + pattern + "': " + e.getDescription());
        }
    }

    enum Mode
    {
        LIKE, EXTRACT, REPLACE, COUNT, POSITION
    }

    /** A view of ASCII bytes as characters, reused for every row. */
    static final class AsciiView
            implements CharSequence
    {
        private byte[] bytes;
        private int from;
        private int length;

        AsciiView set(byte[] bytes, int from, int to)
        {
            this.bytes = bytes;
            this.from = from;
            this.length = to - from;
            return this;
        }

        @Override
        public int length()
        {
            return length;
        }

        @Override
        public char charAt(int index)
        {
            return (char) bytes[from + index];
        }

        @Override
        public CharSequence subSequence(int start, int end)
        {
            return new String(bytes, from + start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString()
        {
            return new String(bytes, from, length, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    static final class Regexp
            extends Kernel
    {
        private final Mode mode;
        private final Matcher matcher;
        /** the allocation-free matcher of simple patterns, for ASCII rows; null when RE2/J must run */
        private final SimpleRegex fast;
        private final AsciiView view = new AsciiView();
        private final String replacement;

        Regexp(Type type, List<ValueEvaluator> args, List<Expression> calls, Mode mode)
        {
            super(type, args);
            this.mode = mode;
            String pattern = (String) constant(calls, 1);
            this.matcher = compile(pattern).matcher("");
            this.fast = mode == Mode.LIKE || mode == Mode.EXTRACT ? SimpleRegex.compile(pattern) : null;
            this.replacement = mode == Mode.REPLACE && args.size() == 3 ? (String) constant(calls, 2) : "";
            if (mode == Mode.REPLACE) {
                // fail at compile time on a replacement that refers to a missing group
                try {
                    matcher.reset("");
                    matcher.replaceAll(replacement);
                }
                catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                    throw invalidArgument("Illegal replacement '" + replacement + "': " + e.getMessage());
                }
            }
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            Block text = in[0];
            byte[] b = text.bytes;
            int[] o = text.offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    if (physicalType.representation() == PhysicalType.Representation.BYTES) {
                        setNull(j);
                    }
                    continue;
                }
                int from = o[j];
                int to = o[j + 1];
                boolean ascii = Utf8.isAscii(b, from, to);
                if (ascii && fast != null && fastPath(j, b, from, to, nulls)) {
                    continue;
                }
                CharSequence input = ascii ? view.set(b, from, to) : string(0, j);
                matcher.reset(input);
                switch (mode) {
                    case LIKE -> result.longs[j] = matcher.find() ? 1 : 0;
                    case COUNT -> {
                        long n = 0;
                        int at = 0;
                        while (at <= input.length() && matcher.find(at)) {
                            n++;
                            at = matcher.end() == matcher.start() ? matcher.end() + 1 : matcher.end();
                        }
                        result.longs[j] = n;
                    }
                    case EXTRACT -> {
                        int group = 0;
                        if (args.length == 3) {
                            long g = in[2].longs[j];
                            if (g < 0 || g > matcher.groupCount()) {
                                throw invalidArgument("Pattern has " + matcher.groupCount() + " groups. Cannot access group " + g);
                            }
                            group = (int) g;
                        }
                        if (!matcher.find() || matcher.start(group) < 0) {
                            setNull(j);
                            nulls[j] = true;
                        }
                        else if (ascii) {
                            setBytes(j, b, from + matcher.start(group), matcher.end(group) - matcher.start(group));
                        }
                        else {
                            setString(j, matcher.group(group));
                        }
                    }
                    case REPLACE -> {
                        String replaced = matcher.replaceAll(replacement);
                        setString(j, replaced);
                    }
                    case POSITION -> result.longs[j] = position(input, ascii, j, nulls);
                }
            }
        }

        /** Row {@code j} by {@link #fast}; false when it gave up and RE2/J must answer. */
        private boolean fastPath(int j, byte[] b, int from, int to, boolean[] nulls)
        {
            int at = fast.find(b, from, to);
            if (at == SimpleRegex.GIVE_UP) {
                return false;
            }
            if (mode == Mode.LIKE) {
                result.longs[j] = at >= 0 ? 1 : 0;
                return true;
            }
            int group = 0;
            if (args.length == 3) {
                long g = in[2].longs[j];
                if (g < 0 || g > fast.groupCount()) {
                    throw invalidArgument("Pattern has " + fast.groupCount() + " groups. Cannot access group " + g);
                }
                group = (int) g;
            }
            if (at < 0) {
                setNull(j);
                nulls[j] = true;
            }
            else {
                int start = fast.start(group);
                setBytes(j, b, start, fast.end(group) - start);
            }
            return true;
        }

        private long position(CharSequence input, boolean ascii, int j, boolean[] nulls)
        {
            long start = args.length >= 3 ? in[2].longs[j] : 1;
            long occurrence = args.length == 4 ? in[3].longs[j] : 1;
            if (start < 1) {
                throw invalidArgument("start position cannot be smaller than 1");
            }
            if (occurrence < 1) {
                throw invalidArgument("occurrence cannot be smaller than 1");
            }
            String s = ascii ? null : input.toString();
            int codePoints = ascii ? input.length() : s.codePointCount(0, s.length());
            if (start > codePoints) {
                return -1;
            }
            int at = ascii ? (int) start - 1 : s.offsetByCodePoints(0, (int) start - 1);
            long found = 0;
            while (at <= input.length() && matcher.find(at)) {
                if (++found == occurrence) {
                    int index = matcher.start();
                    return (ascii ? index : s.codePointCount(0, index)) + 1;
                }
                at = matcher.end() == matcher.start() ? matcher.end() + 1 : matcher.end();
            }
            return -1;
        }
    }
}
