package io.glaux.coordinator.planner;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;

/**
 * Refuses, before Calcite's parser sees it, a statement with more operators than it parses in a
 * reasonable time. Calcite reduces a chain of binary operators ({@code a + b + c ...},
 * {@code x = 1 OR x = 2 OR ...}) by scanning the whole chain once per operator, so the time grows
 * with the square of its length: 16,000 terms took seconds, the 200,000 that fit in
 * {@code query.max-length} took many minutes of a query thread that nothing could stop. One pass over
 * the text counts the operators outside strings, quoted names and comments.
 */
final class StatementSize
{
    static final int MAX_OPERATORS = 10_000;

    private StatementSize() {}

    static void check(String sql)
    {
        int operators = 0;
        int length = sql.length();
        for (int i = 0; i < length; i++) {
            char c = sql.charAt(i);
            switch (c) {
                case '\'', '"', '`' -> i = closing(sql, i, c);
                case '-' -> {
                    if (i + 1 < length && sql.charAt(i + 1) == '-') {
                        int end = sql.indexOf('\n', i);
                        i = end < 0 ? length : end;
                    }
                    else {
                        operators++;
                    }
                }
                case '/' -> {
                    if (i + 1 < length && sql.charAt(i + 1) == '*') {
                        int end = sql.indexOf("*/", i + 2);
                        i = end < 0 ? length : end + 1;
                    }
                    else {
                        operators++;
                    }
                }
                case '+', '*', '%', '=', '<', '>', '|', '!' -> {
                    operators++;
                    if (i + 1 < length && "=>|".indexOf(sql.charAt(i + 1)) >= 0) {
                        i++; // <=, >=, <>, !=, ||
                    }
                }
                case 'a', 'A', 'o', 'O' -> {
                    if (keyword(sql, i, "AND") || keyword(sql, i, "OR")) {
                        operators++;
                    }
                }
                default -> {}
            }
        }
        if (operators > MAX_OPERATORS) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, new ErrorLocation(1, 1),
                    "Statement is too large: %,d operators, more than the %,d Glaux parses (for a long list of values, use IN (...))".formatted(operators, MAX_OPERATORS), null);
        }
    }

    /** The index of the quote that closes the one at {@code start} (a doubled quote is part of the text). */
    private static int closing(String sql, int start, char quote)
    {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return sql.length();
    }

    private static boolean keyword(String sql, int at, String word)
    {
        int end = at + word.length();
        return end <= sql.length()
                && sql.regionMatches(true, at, word, 0, word.length())
                && (at == 0 || !Character.isLetterOrDigit(sql.charAt(at - 1)) && sql.charAt(at - 1) != '_')
                && (end == sql.length() || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_');
    }
}
