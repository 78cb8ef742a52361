package io.glaux.cli;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Splits SQL text into statements ended by {@code ;} (or {@code \G}, which asks for vertical output).
 * Terminators inside string literals ({@code '...'}), quoted identifiers ({@code "..."}, and Hive-style
 * {@code `...`} as Athena DDL uses), line comments ({@code --}) and block comments ({@code /* ... *}{@code /})
 * do not count; doubled quotes inside quotes are escapes. Statements that hold only whitespace and
 * comments are dropped. The text after the last terminator is the {@linkplain Result#remainder()
 * remainder}: the interactive console keeps reading lines until it is empty.
 */
public final class StatementSplitter
{
    private StatementSplitter() {}

    /** How a statement was ended. */
    public enum Terminator
    {
        /** {@code ;} */
        SEMICOLON,
        /** {@code \G}: show this statement's results one column per line */
        VERTICAL,
    }

    /** One statement, without its terminator and surrounding whitespace. */
    public record Statement(String sql, Terminator terminator)
    {
        public Statement
        {
            requireNonNull(sql, "sql is null");
            requireNonNull(terminator, "terminator is null");
        }
    }

    /**
     * @param statements the complete statements, in order
     * @param remainder the unterminated text after the last one, stripped; empty when that text holds
     *        only whitespace and closed comments
     * @param remainderOpen the remainder ends inside a quote or a block comment
     */
    public record Result(List<Statement> statements, String remainder, boolean remainderOpen)
    {
        public Result
        {
            statements = List.copyOf(statements);
            requireNonNull(remainder, "remainder is null");
        }
    }

    public static Result split(String text)
    {
        requireNonNull(text, "text is null");
        List<Statement> statements = new ArrayList<>();
        int length = text.length();
        int start = 0;
        boolean content = false;
        boolean open = false;
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            char next = i + 1 < length ? text.charAt(i + 1) : '\0';
            if (c == '\'' || c == '"' || c == '`') {
                content = true;
                int close = closingQuote(text, i);
                if (close < 0) {
                    open = true;
                    i = length;
                }
                else {
                    i = close + 1;
                }
            }
            else if (c == '-' && next == '-') {
                int newline = text.indexOf('\n', i + 2);
                i = newline < 0 ? length : newline + 1;
            }
            else if (c == '/' && next == '*') {
                int close = text.indexOf("*/", i + 2);
                if (close < 0) {
                    open = true;
                    i = length;
                }
                else {
                    i = close + 2;
                }
            }
            else if (c == ';' || (c == '\\' && next == 'G')) {
                if (content) {
                    statements.add(new Statement(text.substring(start, i).strip(),
                            c == ';' ? Terminator.SEMICOLON : Terminator.VERTICAL));
                }
                i += c == ';' ? 1 : 2;
                start = i;
                content = false;
            }
            else {
                if (!Character.isWhitespace(c)) {
                    content = true;
                }
                i++;
            }
        }
        String remainder = content || open ? text.substring(start).strip() : "";
        return new Result(statements, remainder, open);
    }

    /** True if {@code text} holds nothing but whitespace and comments. */
    public static boolean isEmpty(String text)
    {
        Result result = split(text);
        return result.statements().isEmpty() && result.remainder().isEmpty();
    }

    /** Index of the quote closing the one at {@code start} ({@code ''} inside is an escaped quote), or -1. */
    private static int closingQuote(String text, int start)
    {
        char quote = text.charAt(start);
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return -1;
    }
}
