package io.glaux.engine.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * A fast path for the common regular expressions of log queries ({@code ^/([a-z]+)}, {@code (\w+)@(\w+)},
 * {@code [0-9]+}, {@code ^GET /api/}): a pattern that is a sequence of atoms (a literal, {@code .}, a
 * class such as {@code [a-z]}, {@code [^/]} or {@code \d}, each with an optional greedy quantifier),
 * optionally anchored with {@code ^} and {@code $}, with capturing groups around runs of atoms, matched
 * over ASCII bytes in place by a loop with no backtracking and no allocation.
 *
 * <p>Why it gives RE2's answers: the pattern is accepted only when every atom with a variable count
 * shares no character with the atoms that could follow it (up to the next mandatory one). Then giving
 * back a character could never let the rest match, so consuming as much as possible (possessively) finds
 * the same leftmost-first match and groups as RE2. Anything else (alternation, nested or quantified
 * groups, lazy quantifiers, flags, non-ASCII pattern characters, Unicode classes) is refused and
 * RE2/J runs instead, as it does for non-ASCII rows.
 *
 * <p>Why it stays linear: an unanchored search tries each start position, which could take time
 * quadratic in the row; a row whose steps exceed a budget linear in its length is reported as
 * {@link #GIVE_UP}, and the caller asks RE2/J for that row.
 */
final class SimpleRegex
{
    /** {@link #find} ran out of its step budget: ask RE2/J. */
    static final int GIVE_UP = -2;

    private final long[] lo;
    private final long[] hi;
    private final int[] min;
    private final int[] max;
    private final boolean anchorStart;
    private final boolean anchorEnd;
    /** per group (1-based; index 0 unused): the first atom and the atom after the last */
    private final int[] groupFrom;
    private final int[] groupTo;
    /** atom positions of the last match: {@code starts[i]} is where atom i began, {@code starts[atoms]} the end */
    private final int[] starts;

    private SimpleRegex(List<long[]> sets, List<int[]> counts, boolean anchorStart, boolean anchorEnd, List<int[]> groups)
    {
        int n = sets.size();
        lo = new long[n];
        hi = new long[n];
        min = new int[n];
        max = new int[n];
        for (int i = 0; i < n; i++) {
            lo[i] = sets.get(i)[0];
            hi[i] = sets.get(i)[1];
            min[i] = counts.get(i)[0];
            max[i] = counts.get(i)[1];
        }
        this.anchorStart = anchorStart;
        this.anchorEnd = anchorEnd;
        groupFrom = new int[groups.size() + 1];
        groupTo = new int[groups.size() + 1];
        for (int g = 0; g < groups.size(); g++) {
            groupFrom[g + 1] = groups.get(g)[0];
            groupTo[g + 1] = groups.get(g)[1];
        }
        starts = new int[n + 1];
    }

    int groupCount()
    {
        return groupFrom.length - 1;
    }

    /**
     * The leftmost match in the ASCII bytes {@code b[from, to)}: its start, or -1 when there is none, or
     * {@link #GIVE_UP}. After a match, {@link #start(int)} and {@link #end(int)} give a group's bounds.
     */
    int find(byte[] b, int from, int to)
    {
        int n = lo.length;
        long budget = 4L * (to - from) + 64;
        int last = anchorStart ? from : to;
        for (int s = from; s <= last; s++) {
            int p = s;
            int i = 0;
            for (; i < n; i++) {
                starts[i] = p;
                long l = lo[i];
                long h = hi[i];
                int limit = max[i] < 0 ? to : (int) Math.min(to, (long) p + max[i]);
                int begin = p;
                while (p < limit) {
                    int c = b[p];
                    if (c < 64 ? (l >>> c & 1) == 0 : (h >>> (c - 64) & 1) == 0) {
                        break;
                    }
                    p++;
                }
                budget -= p - begin + 1;
                if (p - begin < min[i]) {
                    break;
                }
            }
            if (i == n && (!anchorEnd || p == to)) {
                starts[n] = p;
                return s;
            }
            if (budget < 0) {
                return GIVE_UP;
            }
        }
        return -1;
    }

    /** Start of group {@code g} (0 = the whole match) of the last match, relative to the row's array. */
    int start(int g)
    {
        return g == 0 ? starts[0] : starts[groupFrom[g]];
    }

    int end(int g)
    {
        return g == 0 ? starts[lo.length] : starts[groupTo[g]];
    }

    // ------------------------------------------------------------------ parsing

    /** The fast path for {@code pattern}, or null when it is not one this class handles exactly. */
    static SimpleRegex compile(String pattern)
    {
        try {
            return new Parser(pattern).parse();
        }
        catch (Unsupported e) {
            return null;
        }
    }

    private static final class Unsupported
            extends Exception
    {
        Unsupported()
        {
            super(null, null, false, false);
        }
    }

    private static final class Parser
    {
        private final String p;
        private int i;
        private final List<long[]> sets = new ArrayList<>();
        private final List<int[]> counts = new ArrayList<>();
        private final List<int[]> groups = new ArrayList<>();

        Parser(String pattern)
        {
            this.p = pattern;
        }

        SimpleRegex parse()
                throws Unsupported
        {
            boolean anchorStart = false;
            boolean anchorEnd = false;
            if (i < p.length() && p.charAt(i) == '^') {
                anchorStart = true;
                i++;
            }
            int groupStart = -1;
            while (i < p.length()) {
                char c = p.charAt(i);
                if (c == '$') {
                    if (i != p.length() - 1 || groupStart >= 0) {
                        throw new Unsupported();
                    }
                    anchorEnd = true;
                    i++;
                    break;
                }
                if (c == '(') {
                    if (groupStart >= 0 || (i + 1 < p.length() && p.charAt(i + 1) == '?')) {
                        throw new Unsupported();
                    }
                    groupStart = sets.size();
                    i++;
                    continue;
                }
                if (c == ')') {
                    if (groupStart < 0 || groupStart == sets.size()) {
                        throw new Unsupported();
                    }
                    groups.add(new int[] {groupStart, sets.size()});
                    groupStart = -1;
                    i++;
                    if (i < p.length() && "*+?{".indexOf(p.charAt(i)) >= 0) {
                        throw new Unsupported();
                    }
                    continue;
                }
                sets.add(atom());
                counts.add(quantifier());
            }
            if (groupStart >= 0 || sets.isEmpty()) {
                throw new Unsupported();
            }
            // every variable count must share nothing with what may follow it (up to the next mandatory atom)
            for (int a = 0; a < sets.size(); a++) {
                int[] count = counts.get(a);
                if (count[0] == count[1]) {
                    continue;
                }
                for (int b = a + 1; b < sets.size(); b++) {
                    if ((sets.get(a)[0] & sets.get(b)[0]) != 0 || (sets.get(a)[1] & sets.get(b)[1]) != 0) {
                        throw new Unsupported();
                    }
                    if (counts.get(b)[0] > 0) {
                        break;
                    }
                }
            }
            return new SimpleRegex(sets, counts, anchorStart, anchorEnd, groups);
        }

        private long[] atom()
                throws Unsupported
        {
            char c = p.charAt(i++);
            long[] set = new long[2];
            switch (c) {
                case '.' -> {
                    set[0] = -1L & ~(1L << '\n');
                    set[1] = -1L;
                }
                case '[' -> parseClass(set);
                case '\\' -> {
                    if (!escape(set)) {
                        throw new Unsupported();
                    }
                }
                case '*', '+', '?', '{', '|', ')', '^', '$', ']', '}' -> throw new Unsupported();
                default -> add(set, c, c);
            }
            return set;
        }

        /** {@code \d}, {@code \w}, {@code \s} or an escaped punctuation character; false for anything else. */
        private boolean escape(long[] set)
                throws Unsupported
        {
            if (i >= p.length()) {
                throw new Unsupported();
            }
            char c = p.charAt(i++);
            switch (c) {
                case 'd' -> add(set, '0', '9');
                case 'w' -> {
                    add(set, '0', '9');
                    add(set, 'A', 'Z');
                    add(set, 'a', 'z');
                    add(set, '_', '_');
                }
                case 's' -> {
                    add(set, '\t', '\n');
                    add(set, '\f', '\r');
                    add(set, ' ', ' ');
                }
                default -> {
                    if (c >= 128 || Character.isLetterOrDigit(c)) {
                        return false;
                    }
                    add(set, c, c);
                }
            }
            return true;
        }

        private void parseClass(long[] set)
                throws Unsupported
        {
            boolean negate = i < p.length() && p.charAt(i) == '^';
            if (negate) {
                i++;
            }
            boolean first = true;
            while (true) {
                if (i >= p.length()) {
                    throw new Unsupported();
                }
                char c = p.charAt(i);
                if (c == ']' && !first) {
                    i++;
                    break;
                }
                first = false;
                if (c == '[' || c >= 128) {
                    throw new Unsupported(); // [:alpha:] and friends, non-ASCII
                }
                long[] single = new long[2];
                i++;
                if (c == '\\') {
                    if (!escape(single)) {
                        throw new Unsupported();
                    }
                    set[0] |= single[0];
                    set[1] |= single[1];
                    continue;
                }
                if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
                    char end = p.charAt(i + 1);
                    if (end == '\\' || end == '[' || end >= 128 || end < c) {
                        throw new Unsupported();
                    }
                    add(set, c, end);
                    i += 2;
                }
                else {
                    add(set, c, c);
                }
            }
            if (negate) {
                // RE2's Perl mode lets a negated class match a newline; non-ASCII rows never reach this path
                set[0] = ~set[0];
                set[1] = ~set[1];
            }
        }

        /** {min, max} with max -1 for no limit. */
        private int[] quantifier()
                throws Unsupported
        {
            int[] count = {1, 1};
            if (i >= p.length()) {
                return count;
            }
            char c = p.charAt(i);
            switch (c) {
                case '*' -> count = new int[] {0, -1};
                case '+' -> count = new int[] {1, -1};
                case '?' -> count = new int[] {0, 1};
                case '{' -> {
                    int close = p.indexOf('}', i);
                    if (close < 0) {
                        throw new Unsupported();
                    }
                    String body = p.substring(i + 1, close);
                    if (!body.matches("[0-9]{1,3}(,[0-9]{0,3})?")) {
                        throw new Unsupported();
                    }
                    int comma = body.indexOf(',');
                    int low = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
                    int high = comma < 0 ? low : comma == body.length() - 1 ? -1 : Integer.parseInt(body.substring(comma + 1));
                    if (high >= 0 && high < low) {
                        throw new Unsupported();
                    }
                    count = new int[] {low, high};
                    i = close;
                }
                default -> {
                    return count;
                }
            }
            i++;
            if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+' || p.charAt(i) == '*' || p.charAt(i) == '{')) {
                throw new Unsupported(); // lazy, possessive or stacked quantifiers
            }
            return count;
        }

        private static void add(long[] set, int from, int to)
                throws Unsupported
        {
            if (to >= 128) {
                throw new Unsupported();
            }
            for (int c = from; c <= to; c++) {
                if (c < 64) {
                    set[0] |= 1L << c;
                }
                else {
                    set[1] |= 1L << (c - 64);
                }
            }
        }
    }
}
