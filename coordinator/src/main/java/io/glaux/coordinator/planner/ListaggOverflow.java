package io.glaux.coordinator.planner;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;

import java.util.Locale;

/**
 * Trino's {@code listagg(x, separator ON OVERFLOW ERROR | TRUNCATE [filler] WITH|WITHOUT COUNT)}, whose
 * clause Calcite's parser does not read, rewritten before parsing. {@code ON OVERFLOW ERROR} is blanked
 * out (same length, so positions in errors stay those of the text as written), since failing past the
 * largest result is what listagg does anyway. {@code ON OVERFLOW TRUNCATE} makes the call
 * {@code listagg_truncate(x, separator, filler, with count)} (filler {@code '...'} unless given): the
 * clause's text, longer than the arguments it becomes, is padded with spaces so that the text after the
 * call keeps its positions (between the function's name and the clause they are 9 columns on).
 */
final class ListaggOverflow
{
    /** The aggregate a listagg call with ON OVERFLOW TRUNCATE becomes. */
    static final String TRUNCATE_FUNCTION = "listagg_truncate";

    private ListaggOverflow() {}

    static String rewrite(String sql)
    {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (!lower.contains("overflow")) {
            return sql;
        }
        StringBuilder out = null;
        int n = sql.length();
        int i = 0;
        // parentheses open, and the depth of the arguments of the listagg call being read (-1: none)
        int depth = 0;
        int listagg = -1;
        // where the name of the listagg call being read starts, and whether its separator argument was seen
        int listaggStart = -1;
        boolean separator = false;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
                i++;
                continue;
            }
            if (c == ')') {
                if (depth == listagg) {
                    listagg = -1;
                }
                depth--;
                i++;
                continue;
            }
            if (isWordAt(lower, i, "listagg")) {
                int paren = skipSpace(lower, i + "listagg".length());
                if (paren < n && sql.charAt(paren) == '(' && listagg < 0) {
                    listagg = depth + 1;
                    listaggStart = i;
                    separator = false;
                }
                i += "listagg".length();
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                int end = i + 1;
                while (end < n) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < n && sql.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        end++;
                        break;
                    }
                    end++;
                }
                i = end;
                continue;
            }
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end;
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                continue;
            }
            if (c == ',' && depth == listagg) {
                separator = true;
            }
            if (depth == listagg && isWordAt(lower, i, "on")) {
                int overflow = skipSpace(lower, i + 2);
                if (isWordAt(lower, overflow, "overflow")) {
                    int behavior = skipSpace(lower, overflow + "overflow".length());
                    if (isWordAt(lower, behavior, "error")) {
                        if (out == null) {
                            out = new StringBuilder(sql);
                        }
                        for (int k = i; k < behavior + "error".length(); k++) {
                            if (!Character.isWhitespace(out.charAt(k))) {
                                out.setCharAt(k, ' ');
                            }
                        }
                        i = behavior + "error".length();
                        continue;
                    }
                    if (isWordAt(lower, behavior, "truncate")) {
                        int at = skipSpace(lower, behavior + "truncate".length());
                        String filler = "'...'";
                        if (at < n && sql.charAt(at) == '\'') {
                            int end = at + 1;
                            while (end < n && (sql.charAt(end) != '\'' || end + 1 < n && sql.charAt(end + 1) == '\'')) {
                                end += sql.charAt(end) == '\'' ? 2 : 1;
                            }
                            if (end >= n) {
                                break;
                            }
                            filler = sql.substring(at, end + 1);
                            at = skipSpace(lower, end + 1);
                        }
                        boolean withCount = isWordAt(lower, at, "with");
                        if (!withCount && !isWordAt(lower, at, "without")) {
                            throw new GlauxException(ErrorCode.SYNTAX_ERROR, location(sql, at),
                                    "listagg(... ON OVERFLOW TRUNCATE [filler] ...) needs WITH COUNT or WITHOUT COUNT", null);
                        }
                        int count = skipSpace(lower, at + (withCount ? "with" : "without").length());
                        if (!isWordAt(lower, count, "count")) {
                            throw new GlauxException(ErrorCode.SYNTAX_ERROR, location(sql, count),
                                    "listagg(... ON OVERFLOW TRUNCATE [filler] WITH|WITHOUT) needs COUNT", null);
                        }
                        int clauseEnd = count + "count".length();
                        String arguments = (separator ? "" : ", ''") + ", " + filler + ", " + withCount;
                        int grown = TRUNCATE_FUNCTION.length() - "listagg".length();
                        int room = clauseEnd - i - grown;
                        if (room < arguments.length()) {
                            // cannot happen: the clause is always longer than its arguments and the longer name
                            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot rewrite listagg ... ON OVERFLOW TRUNCATE");
                        }
                        if (out == null) {
                            out = new StringBuilder(sql);
                        }
                        // the same length in all: the name grows, the clause's padded arguments make up for it
                        out.replace(i, clauseEnd, arguments + " ".repeat(room - arguments.length()));
                        out.replace(listaggStart, listaggStart + "listagg".length(), TRUNCATE_FUNCTION);
                        i = clauseEnd;
                        continue;
                    }
                }
            }
            i++;
        }
        return out == null ? sql : out.toString();
    }

    private static boolean isWordAt(String lower, int at, String word)
    {
        if (at < 0 || !lower.startsWith(word, at)) {
            return false;
        }
        boolean startsWord = at == 0 || !Character.isJavaIdentifierPart(lower.charAt(at - 1));
        int end = at + word.length();
        return startsWord && (end >= lower.length() || !Character.isJavaIdentifierPart(lower.charAt(end)));
    }

    private static int skipSpace(String text, int at)
    {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at;
    }

    private static ErrorLocation location(String sql, int offset)
    {
        int line = 1;
        int column = 1;
        for (int k = 0; k < offset; k++) {
            if (sql.charAt(k) == '\n') {
                line++;
                column = 1;
            }
            else {
                column++;
            }
        }
        return new ErrorLocation(line, column);
    }
}
