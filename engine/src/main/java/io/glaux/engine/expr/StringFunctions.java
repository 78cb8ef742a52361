package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.INTEGER;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VARCHAR;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static io.glaux.engine.expr.FunctionRegistry.returns;

import io.glaux.spi.type.Type;

import java.util.List;
import java.util.Locale;

/** String functions over UTF-8 bytes; lengths and positions count code points, as in Trino. */
final class StringFunctions
{
    private StringFunctions() {}

    static void register(FunctionRegistry.Builder b)
    {
        b.add("length", args(VARCHAR), returns(Type.BIGINT), "bigint", "Length of the string in characters (code points).", Length::new);
        b.add("upper", args(VARCHAR), returns(Type.VARCHAR), "varchar", "Converts the string to upper case.", (a, c, t) -> new CaseChange(t, a, true));
        b.add("lower", args(VARCHAR), returns(Type.VARCHAR), "varchar", "Converts the string to lower case.", (a, c, t) -> new CaseChange(t, a, false));
        b.add("substr", args(VARCHAR, INTEGER), returns(Type.VARCHAR), "varchar",
                "The rest of the string from position `start` (1-based; a negative start counts from the end).", Substr::new);
        b.add("substr", args(VARCHAR, INTEGER, INTEGER), returns(Type.VARCHAR), "varchar",
                "At most `length` characters of the string from position `start` (1-based; a negative start counts from the end).", Substr::new);
        b.alias("substring", "substr");
        b.add("trim", args(VARCHAR), returns(Type.VARCHAR), "varchar", "Removes leading and trailing whitespace.", (a, c, t) -> new Trim(t, a, true, true));
        b.add("ltrim", args(VARCHAR), returns(Type.VARCHAR), "varchar", "Removes leading whitespace.", (a, c, t) -> new Trim(t, a, true, false));
        b.add("rtrim", args(VARCHAR), returns(Type.VARCHAR), "varchar", "Removes trailing whitespace.", (a, c, t) -> new Trim(t, a, false, true));
        b.add("trim", args(VARCHAR, VARCHAR), returns(Type.VARCHAR), "varchar", "Removes leading and trailing characters that are in `characters`.",
                (a, c, t) -> new Trim(t, a, true, true));
        b.add("ltrim", args(VARCHAR, VARCHAR), returns(Type.VARCHAR), "varchar", "Removes leading characters that are in `characters`.",
                (a, c, t) -> new Trim(t, a, true, false));
        b.add("rtrim", args(VARCHAR, VARCHAR), returns(Type.VARCHAR), "varchar", "Removes trailing characters that are in `characters`.",
                (a, c, t) -> new Trim(t, a, false, true));
        b.add("concat", args(VARCHAR, VARCHAR), true, returns(Type.VARCHAR), "varchar", "Concatenates the strings (also the `||` operator).",
                "", Concat::new);
        b.add("replace", args(VARCHAR, VARCHAR), returns(Type.VARCHAR), "varchar", "Removes every occurrence of `search`.", Replace::new);
        b.add("replace", args(VARCHAR, VARCHAR, VARCHAR), returns(Type.VARCHAR), "varchar", "Replaces every occurrence of `search` with `replacement`.", Replace::new);
        b.add("strpos", args(VARCHAR, VARCHAR), returns(Type.BIGINT), "bigint",
                "Position of the first occurrence of `substring` (1-based), 0 when absent (also `position(substring IN string)`).", Strpos::new);
        b.add("starts_with", args(VARCHAR, VARCHAR), returns(Type.BOOLEAN), "boolean", "Whether the string starts with `prefix`.", StartsWith::new);
        b.add("reverse", args(VARCHAR), returns(Type.VARCHAR), "varchar", "The characters of the string in reverse order.", Reverse::new);
        b.add("lpad", args(VARCHAR, INTEGER, VARCHAR), returns(Type.VARCHAR), "varchar",
                "Pads the string on the left to `size` characters with `padstring` (truncates a longer string).", (a, c, t) -> new Pad(t, a, true));
        b.add("rpad", args(VARCHAR, INTEGER, VARCHAR), returns(Type.VARCHAR), "varchar",
                "Pads the string on the right to `size` characters with `padstring` (truncates a longer string).", (a, c, t) -> new Pad(t, a, false));
        b.add("split_part", args(VARCHAR, VARCHAR, INTEGER), returns(Type.VARCHAR), "varchar",
                "Field `index` (1-based) of the string split at `delimiter`; NULL when there are fewer fields.", SplitPart::new);
        b.add("chr", args(INTEGER), returns(new Type.Varchar(1)), "varchar(1)", "The character with Unicode code point `n`.", Chr::new);
        b.add("codepoint", args(VARCHAR), returns(Type.INTEGER), "integer", "The Unicode code point of the only character of the string.", Codepoint::new);
        b.add("levenshtein_distance", args(VARCHAR, VARCHAR), returns(Type.BIGINT), "bigint",
                "The fewest single-character insertions, deletions and substitutions that turn one string into the other.", Levenshtein::new);
        b.add("hamming_distance", args(VARCHAR, VARCHAR), returns(Type.BIGINT), "bigint",
                "The number of positions at which two strings of the same length differ.", Hamming::new);
        b.add("translate", args(VARCHAR, VARCHAR, VARCHAR), returns(Type.VARCHAR), "varchar",
                "Replaces each character of `from` with the character at the same position in `to`; removes it when `to` is shorter.", Translate::new);
        b.add("normalize", args(VARCHAR), returns(Type.VARCHAR), "varchar", "The string in Unicode normal form NFC.",
                (a, c, t) -> new WebFunctions.StringFunction(t, a, s -> java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC)));
        b.add("normalize", args(VARCHAR, VARCHAR), returns(Type.VARCHAR), "varchar",
                "The string in Unicode normal form `form`: NFC, NFD, NFKC or NFKD (written as a keyword: `normalize(s, NFD)`).",
                (a, c, t) -> {
                    java.text.Normalizer.Form form = normalForm((String) FunctionRegistry.constant(c, 1));
                    return new WebFunctions.StringFunction(t, a.subList(0, 1), s -> java.text.Normalizer.normalize(s, form));
                }, 1);
        b.add("soundex", args(VARCHAR), returns(Type.VARCHAR), "varchar", "The American Soundex code of the string (`Miller` is `M460`).",
                (a, c, t) -> new WebFunctions.StringFunction(t, a, StringFunctions::soundex));
        b.add("luhn_check", args(VARCHAR), false, returns(Type.BOOLEAN), "boolean", "Whether a string of digits passes the Luhn checksum.",
                "A string with a character other than a digit, or empty, is false.", LuhnCheck::new);
        b.add("format", args(VARCHAR, FunctionRegistry.Arg.ANY), true, returns(Type.VARCHAR), "varchar",
                "The arguments formatted by a Java format string (`%s`, `%d`, `%.2f`, `%03d`, `%%`).", "", Format::new, 0);
    }

    static final class Chr
            extends Kernel
    {
        Chr(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                long c = x[j];
                if (c < 0 || c > Character.MAX_CODE_POINT || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
                    throw invalidArgument("Not a valid Unicode code point: " + c);
                }
                byte[] out = reserve(4);
                int p = reserved();
                commit(j, Utf8.encode((int) c, out, p) - p);
            }
        }
    }

    static final class Codepoint
            extends Kernel
    {
        Codepoint(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    continue;
                }
                if (Utf8.codePoints(b, o[j], o[j + 1]) != 1) {
                    throw invalidArgument("Input string must be a single character string");
                }
                r[j] = Utf8.decode(b, o[j]);
            }
        }
    }

    static final class Levenshtein
            extends Kernel
    {
        private int[] previous = new int[16];
        private int[] current = new int[16];

        Levenshtein(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    continue;
                }
                int[] left = string(0, j).codePoints().toArray();
                int[] right = string(1, j).codePoints().toArray();
                if ((long) left.length * right.length > 1_000_000) {
                    throw invalidArgument("The combined inputs for Levenshtein distance are too large");
                }
                if (previous.length <= right.length) {
                    previous = new int[right.length + 1];
                    current = new int[right.length + 1];
                }
                for (int k = 0; k <= right.length; k++) {
                    previous[k] = k;
                }
                for (int i = 1; i <= left.length; i++) {
                    current[0] = i;
                    for (int k = 1; k <= right.length; k++) {
                        int substitution = previous[k - 1] + (left[i - 1] == right[k - 1] ? 0 : 1);
                        current[k] = Math.min(substitution, Math.min(previous[k], current[k - 1]) + 1);
                    }
                    int[] swap = previous;
                    previous = current;
                    current = swap;
                }
                r[j] = previous[right.length];
            }
        }
    }

    static final class Hamming
            extends Kernel
    {
        Hamming(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] lb = in[0].bytes;
            int[] lo = in[0].offsets;
            byte[] rb = in[1].bytes;
            int[] ro = in[1].offsets;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    continue;
                }
                int li = lo[j];
                int ri = ro[j];
                int lEnd = lo[j + 1];
                int rEnd = ro[j + 1];
                long distance = 0;
                while (li < lEnd && ri < rEnd) {
                    int lNext = Utf8.next(lb, li, lEnd);
                    int rNext = Utf8.next(rb, ri, rEnd);
                    if (lNext - li != rNext - ri || !java.util.Arrays.equals(lb, li, lNext, rb, ri, rNext)) {
                        distance++;
                    }
                    li = lNext;
                    ri = rNext;
                }
                if (li < lEnd || ri < rEnd) {
                    throw invalidArgument("The input strings to hamming_distance function must have the same length");
                }
                r[j] = distance;
            }
        }
    }

    static final class Translate
            extends Kernel
    {
        Translate(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                int[] from = string(1, j).codePoints().toArray();
                int[] to = string(2, j).codePoints().toArray();
                String source = string(0, j);
                StringBuilder out = new StringBuilder(source.length());
                source.codePoints().forEach(c -> {
                    for (int k = 0; k < from.length; k++) {
                        if (from[k] == c) {
                            if (k < to.length) {
                                out.appendCodePoint(to[k]);
                            }
                            return;
                        }
                    }
                    out.appendCodePoint(c);
                });
                setString(j, out.toString());
            }
        }
    }

    static final class LuhnCheck
            extends Kernel
    {
        LuhnCheck(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    continue;
                }
                int sum = 0;
                boolean valid = o[j + 1] > o[j];
                boolean second = false;
                for (int i = o[j + 1] - 1; i >= o[j]; i--) {
                    int d = b[i] - '0';
                    if (d < 0 || d > 9) {
                        valid = false;
                        break;
                    }
                    if (second) {
                        d *= 2;
                        if (d > 9) {
                            d -= 9;
                        }
                    }
                    sum += d;
                    second = !second;
                }
                r[j] = valid && sum % 10 == 0 ? 1 : 0;
            }
        }
    }

    /** {@code format(format, args...)}: Java's {@link java.util.Formatter}, as Trino's {@code format}. */
    static final class Format
            extends Kernel
    {
        private final String format;

        Format(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
            this.format = (String) FunctionRegistry.constant(calls, 0);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            Object[] values = new Object[args.length - 1];
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                for (int k = 1; k < args.length; k++) {
                    values[k - 1] = value(k, j);
                }
                try {
                    setString(j, String.format(Locale.ENGLISH, format, values));
                }
                catch (java.util.IllegalFormatException e) {
                    throw invalidArgument("Invalid format string: " + format + " (" + e.getMessage() + ")");
                }
            }
        }

        private Object value(int k, int j)
        {
            Type type = args[k].type;
            Block block = in[k];
            if (SqlTypes.isVarchar(type)) {
                return string(k, j);
            }
            if (SqlTypes.isBoolean(type)) {
                return block.longs[j] != 0;
            }
            if (SqlTypes.isDate(type)) {
                return java.time.LocalDate.ofEpochDay(block.longs[j]);
            }
            if (SqlTypes.isTimestamp(type)) {
                long micros = block.longs[j];
                return java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000,
                        java.time.ZoneOffset.UTC);
            }
            if (Decimals.isDecimal(type)) {
                return java.math.BigDecimal.valueOf(block.longs[j], Decimals.scale(type));
            }
            if (SqlTypes.isFloating(type)) {
                return block.doubles[j];
            }
            return block.longs[j];
        }
    }

    private static java.text.Normalizer.Form normalForm(String name)
    {
        try {
            return java.text.Normalizer.Form.valueOf(name.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw invalidArgument("Invalid normalization form: " + name);
        }
    }

    static String soundex(String value)
    {
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = Character.toUpperCase(value.charAt(i));
            if (c >= 'A' && c <= 'Z') {
                letters.append(c);
            }
        }
        if (letters.isEmpty()) {
            return "";
        }
        char[] out = {letters.charAt(0), '0', '0', '0'};
        int count = 1;
        char last = soundexCode(letters.charAt(0));
        for (int i = 1; i < letters.length() && count < 4; i++) {
            char c = letters.charAt(i);
            if (c == 'H' || c == 'W') {
                continue;
            }
            char digit = soundexCode(c);
            if (digit != '0' && digit != last) {
                out[count++] = digit;
            }
            last = digit;
        }
        return new String(out);
    }

    private static char soundexCode(char c)
    {
        return "01230120022455012623010202".charAt(c - 'A');
    }

    static final class Length
            extends Kernel
    {
        Length(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                r[j] = Utf8.codePoints(b, o[j], o[j + 1]);
            }
        }
    }

    static final class CaseChange
            extends Kernel
    {
        private final boolean upper;

        CaseChange(Type type, List<ValueEvaluator> args, boolean upper)
        {
            super(type, args);
            this.upper = upper;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                int from = o[j];
                int to = o[j + 1];
                if (!Utf8.isAscii(b, from, to)) {
                    String s = string(0, j);
                    setString(j, upper ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT));
                    continue;
                }
                byte[] out = reserve(to - from);
                int p = reserved();
                for (int i = from; i < to; i++) {
                    byte c = b[i];
                    if (upper ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')) {
                        c ^= 0x20;
                    }
                    out[p++] = c;
                }
                commit(j, to - from);
            }
        }
    }

    static final class Substr
            extends Kernel
    {
        Substr(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            long[] starts = in[1].longs;
            long[] lengths = args.length == 3 ? in[2].longs : null;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                int from = o[j];
                int to = o[j + 1];
                long start = starts[j];
                long length = lengths == null ? Long.MAX_VALUE : lengths[j];
                if (start == 0 || length <= 0 || from == to) {
                    setBytes(j, b, from, 0);
                    continue;
                }
                int begin;
                if (start > 0) {
                    begin = Utf8.offsetOf(b, from, to, start - 1);
                    if (begin < 0) {
                        setBytes(j, b, from, 0);
                        continue;
                    }
                }
                else {
                    long codePoints = Utf8.codePoints(b, from, to);
                    long first = codePoints + start;
                    if (first < 0) {
                        setBytes(j, b, from, 0);
                        continue;
                    }
                    begin = Utf8.offsetOf(b, from, to, first);
                }
                int end = Utf8.offsetOf(b, begin, to, Math.min(length, Integer.MAX_VALUE));
                if (end < 0) {
                    end = to;
                }
                setBytes(j, b, begin, end - begin);
            }
        }
    }

    static final class Trim
            extends Kernel
    {
        private final boolean left;
        private final boolean right;

        Trim(Type type, List<ValueEvaluator> args, boolean left, boolean right)
        {
            super(type, args);
            this.left = left;
            this.right = right;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                int from = o[j];
                int to = o[j + 1];
                if (args.length == 2) {
                    String s = string(0, j);
                    String characters = string(1, j);
                    int start = 0;
                    int end = s.length();
                    while (left && start < end && characters.indexOf(s.codePointAt(start)) >= 0) {
                        start += Character.charCount(s.codePointAt(start));
                    }
                    while (right && end > start && characters.indexOf(s.codePointBefore(end)) >= 0) {
                        end -= Character.charCount(s.codePointBefore(end));
                    }
                    setString(j, s.substring(start, end));
                    continue;
                }
                while (left && from < to && Utf8.isWhitespace(b[from])) {
                    from++;
                }
                while (right && to > from && Utf8.isWhitespace(b[to - 1])) {
                    to--;
                }
                setBytes(j, b, from, to - from);
            }
        }
    }

    static final class Concat
            extends Kernel
    {
        Concat(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                int length = 0;
                for (Block block : in) {
                    length += block.offsets[j + 1] - block.offsets[j];
                }
                byte[] out = reserve(length);
                int p = reserved();
                for (Block block : in) {
                    int from = block.offsets[j];
                    int n = block.offsets[j + 1] - from;
                    System.arraycopy(block.bytes, from, out, p, n);
                    p += n;
                }
                commit(j, length);
            }
        }
    }

    static final class Replace
            extends Kernel
    {
        Replace(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            byte[] sb = in[1].bytes;
            int[] so = in[1].offsets;
            byte[] rb = args.length == 3 ? in[2].bytes : null;
            int[] ro = args.length == 3 ? in[2].offsets : null;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                int from = o[j];
                int to = o[j + 1];
                int sf = so[j];
                int st = so[j + 1];
                int rf = rb == null ? 0 : ro[j];
                int rl = rb == null ? 0 : ro[j + 1] - rf;
                if (sf == st) {
                    // Trino: the replacement goes before every character and at the end
                    if (rl == 0) {
                        setBytes(j, b, from, to - from);
                        continue;
                    }
                    int chars = Utf8.codePoints(b, from, to);
                    byte[] out = reserve((to - from) + (chars + 1) * rl);
                    int p = reserved();
                    int i = from;
                    while (true) {
                        System.arraycopy(rb, rf, out, p, rl);
                        p += rl;
                        if (i >= to) {
                            break;
                        }
                        int next = i + 1;
                        while (next < to && !Utf8.isStart(b[next])) {
                            next++;
                        }
                        System.arraycopy(b, i, out, p, next - i);
                        p += next - i;
                        i = next;
                    }
                    commit(j, p - reserved());
                    continue;
                }
                int length = 0;
                int i = from;
                while (true) {
                    int hit = Utf8.indexOf(b, i, to, sb, sf, st);
                    if (hit < 0) {
                        length += to - i;
                        break;
                    }
                    length += hit - i + rl;
                    i = hit + (st - sf);
                }
                byte[] out = reserve(length);
                int p = reserved();
                i = from;
                while (true) {
                    int hit = Utf8.indexOf(b, i, to, sb, sf, st);
                    if (hit < 0) {
                        System.arraycopy(b, i, out, p, to - i);
                        break;
                    }
                    System.arraycopy(b, i, out, p, hit - i);
                    p += hit - i;
                    if (rl > 0) {
                        System.arraycopy(rb, rf, out, p, rl);
                        p += rl;
                    }
                    i = hit + (st - sf);
                }
                commit(j, length);
            }
        }
    }

    static final class Strpos
            extends Kernel
    {
        Strpos(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            byte[] sb = in[1].bytes;
            int[] so = in[1].offsets;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    r[j] = 0;
                    continue;
                }
                int hit = Utf8.indexOf(b, o[j], o[j + 1], sb, so[j], so[j + 1]);
                r[j] = hit < 0 ? 0 : Utf8.codePoints(b, o[j], hit) + 1;
            }
        }
    }

    static final class StartsWith
            extends Kernel
    {
        StartsWith(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            byte[] pb = in[1].bytes;
            int[] po = in[1].offsets;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                int length = po[j + 1] - po[j];
                r[j] = length <= o[j + 1] - o[j] && java.util.Arrays.equals(b, o[j], o[j] + length, pb, po[j], po[j + 1]) ? 1 : 0;
            }
        }
    }

    static final class Reverse
            extends Kernel
    {
        Reverse(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                int from = o[j];
                int to = o[j + 1];
                byte[] out = reserve(to - from);
                int p = reserved() + (to - from);
                int i = from;
                while (i < to) {
                    int next = i + 1;
                    while (next < to && !Utf8.isStart(b[next])) {
                        next++;
                    }
                    p -= next - i;
                    System.arraycopy(b, i, out, p, next - i);
                    i = next;
                }
                commit(j, to - from);
            }
        }
    }

    static final class Pad
            extends Kernel
    {
        private final boolean left;

        Pad(Type type, List<ValueEvaluator> args, boolean left)
        {
            super(type, args);
            this.left = left;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            long[] sizes = in[1].longs;
            byte[] pb = in[2].bytes;
            int[] po = in[2].offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                long size = sizes[j];
                if (size < 0 || size > Integer.MAX_VALUE) {
                    throw invalidArgument("Target length must be in the range [0.." + Integer.MAX_VALUE + "]");
                }
                int from = o[j];
                int to = o[j + 1];
                int pf = po[j];
                int pt = po[j + 1];
                int chars = Utf8.codePoints(b, from, to);
                if (chars >= size) {
                    int end = Utf8.offsetOf(b, from, to, size);
                    setBytes(j, b, from, end - from);
                    continue;
                }
                if (pf == pt) {
                    throw invalidArgument("Padding string must not be empty");
                }
                long missing = size - chars;
                // pad bytes: whole copies of the pad string, then a prefix of it
                int padChars = Utf8.codePoints(pb, pf, pt);
                long whole = missing / padChars;
                int rest = (int) (missing % padChars);
                int restBytes = Utf8.offsetOf(pb, pf, pt, rest) - pf;
                long total = (to - from) + whole * (pt - pf) + restBytes;
                if (total > Integer.MAX_VALUE / 2) {
                    throw invalidArgument("Padded string is too large");
                }
                byte[] out = reserve((int) total);
                int p = reserved();
                if (!left) {
                    System.arraycopy(b, from, out, p, to - from);
                    p += to - from;
                }
                for (long k = 0; k < whole; k++) {
                    System.arraycopy(pb, pf, out, p, pt - pf);
                    p += pt - pf;
                }
                System.arraycopy(pb, pf, out, p, restBytes);
                p += restBytes;
                if (left) {
                    System.arraycopy(b, from, out, p, to - from);
                }
                commit(j, (int) total);
            }
        }
    }

    static final class SplitPart
            extends Kernel
    {
        SplitPart(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            byte[] db = in[1].bytes;
            int[] dO = in[1].offsets;
            long[] indexes = in[2].longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                long index = indexes[j];
                if (index < 1) {
                    throw invalidArgument("Index must be greater than zero");
                }
                int from = o[j];
                int to = o[j + 1];
                int df = dO[j];
                int dt = dO[j + 1];
                if (df == dt) {
                    if (index == 1) {
                        setBytes(j, b, from, to - from);
                    }
                    else {
                        setNull(j);
                    }
                    continue;
                }
                int start = from;
                boolean found = true;
                for (long part = 1; part < index; part++) {
                    int next = Utf8.indexOf(b, start, to, db, df, dt);
                    if (next < 0) {
                        found = false;
                        break;
                    }
                    start = next + (dt - df);
                }
                if (!found) {
                    setNull(j);
                    continue;
                }
                int end = Utf8.indexOf(b, start, to, db, df, dt);
                setBytes(j, b, start, (end < 0 ? to : end) - start);
            }
        }
    }
}
